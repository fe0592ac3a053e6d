import {
  AUTOGRADER_NAME,
  AUTOGRADER_PORT,
  HUB_PORT,
  HUB_SECRET_NAME,
  NETWORK_ACCESS_HUB_LABEL,
} from "./conventions";
import { buildHubHost, buildHubNamespaceName } from "./labels";
import { AUTOGRADER_CONCURRENT_JOBS, AUTOGRADER_RESOURCES } from "./namespace";
import { formatCpuQuantity, formatMemoryQuantity } from "./quantities";
import { type HubManifestInput, type KubernetesManifest } from "./types";

/** The chart generates the service's token into Secret `hub` under this key. */
const AUTOGRADER_TOKEN_KEY = `hub.services.${AUTOGRADER_NAME}.apiToken`;

const selectorLabels = { component: AUTOGRADER_NAME };

/**
 * The per-course grader (SPEC §4): a Deployment registered as a hub service,
 * a Service the proxy routes /services/autograder/ to, and a Role that lets
 * it run one Kubernetes Job per submission and read that job's pod logs.
 */
export function buildAutograderObjects(
  input: HubManifestInput,
  labels: Record<string, string>,
): KubernetesManifest[] {
  const namespace = buildHubNamespaceName(input.hubSlug);
  const metadata = { name: AUTOGRADER_NAME, namespace, labels };
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata,
      rules: [
        {
          apiGroups: ["batch"],
          resources: ["jobs"],
          verbs: ["create", "get", "list", "watch", "delete"],
        },
        // A job's pod has a generated name: finding it takes list by the job's label.
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: AUTOGRADER_NAME },
      subjects: [{ kind: "ServiceAccount", name: AUTOGRADER_NAME, namespace }],
    },
    buildAutograderDeployment(input, labels),
    {
      apiVersion: "v1",
      kind: "Service",
      metadata,
      spec: {
        type: "ClusterIP",
        selector: selectorLabels,
        ports: [{ name: "http", protocol: "TCP", port: AUTOGRADER_PORT, targetPort: "http" }],
      },
    },
  ];
}

function buildAutograderDeployment(
  input: HubManifestInput,
  labels: Record<string, string>,
): KubernetesManifest {
  const { spec } = input;
  const servicePrefix = `/services/${AUTOGRADER_NAME}/`;
  const environment: Array<Record<string, unknown>> = [
    { name: "JUPYTERHUB_API_URL", value: `http://hub:${HUB_PORT}/hub/api` },
    {
      name: "JUPYTERHUB_API_TOKEN",
      valueFrom: { secretKeyRef: { name: HUB_SECRET_NAME, key: AUTOGRADER_TOKEN_KEY } },
    },
    { name: "JUPYTERHUB_SERVICE_NAME", value: AUTOGRADER_NAME },
    { name: "JUPYTERHUB_SERVICE_PREFIX", value: servicePrefix },
    { name: "JUPYTERHUB_SERVICE_URL", value: `http://0.0.0.0:${AUTOGRADER_PORT}` },
    { name: "JUPYTERHUB_CLIENT_ID", value: `service-${AUTOGRADER_NAME}` },
    { name: "JUPYTERHUB_OAUTH_CALLBACK_URL", value: `${servicePrefix}oauth_callback` },
    { name: "JUPYTERHUB_PUBLIC_URL", value: `https://${buildHubHost(input)}` },
    { name: "AUTOGRADER_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
    { name: "AUTOGRADER_GRADING_IMAGE", value: spec.image },
    { name: "AUTOGRADER_MAX_CONCURRENT_JOBS", value: String(AUTOGRADER_CONCURRENT_JOBS) },
    // Grading runs students' notebooks with a user server's limits, requested in
    // full (Guaranteed QoS) so a grade is never cut short by eviction; the quota
    // counts them so.
    { name: "AUTOGRADER_JOB_CPU", value: formatCpuQuantity(spec.cpuLimitMilli) },
    { name: "AUTOGRADER_JOB_MEMORY", value: formatMemoryQuantity(spec.memoryLimitMib) },
  ];
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: AUTOGRADER_NAME, namespace: buildHubNamespaceName(input.hubSlug), labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: selectorLabels },
      template: {
        metadata: {
          labels: { ...labels, ...selectorLabels, [NETWORK_ACCESS_HUB_LABEL]: "true" },
        },
        spec: {
          serviceAccountName: AUTOGRADER_NAME,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: AUTOGRADER_NAME,
              image: input.autograderImage,
              ports: [{ name: "http", containerPort: AUTOGRADER_PORT, protocol: "TCP" }],
              env: environment,
              resources: {
                requests: {
                  cpu: formatCpuQuantity(AUTOGRADER_RESOURCES.requestsCpuMilli),
                  memory: formatMemoryQuantity(AUTOGRADER_RESOURCES.requestsMemoryMib),
                },
                limits: {
                  cpu: formatCpuQuantity(AUTOGRADER_RESOURCES.limitsCpuMilli),
                  memory: formatMemoryQuantity(AUTOGRADER_RESOURCES.limitsMemoryMib),
                },
              },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            },
          ],
        },
      },
    },
  };
}
