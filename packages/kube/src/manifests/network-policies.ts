import {
  GRADING_LABEL,
  HUB_PORT,
  NETWORK_ACCESS_HUB_LABEL,
  PROXY_API_PORT,
  PROXY_HTTP_PORT,
  SINGLEUSER_PORT,
} from "./conventions";
import { buildHubNamespaceName } from "./labels";
import { type HubManifestInput, type KubernetesManifest } from "./types";

function networkPolicy(
  input: HubManifestInput,
  labels: Record<string, string>,
  name: string,
  spec: Record<string, unknown>,
): KubernetesManifest {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: buildHubNamespaceName(input.hubSlug), labels },
    spec,
  };
}

/**
 * Every pod but grading pods. Policies only ever add permissions, so the
 * namespace-wide allowances below must leave grading pods out for the
 * grading policy's "nothing" to hold.
 */
const everyPodButGrading = {
  matchExpressions: [{ key: GRADING_LABEL, operator: "DoesNotExist" }],
};

function componentSelector(...components: string[]) {
  return components.length === 1
    ? { matchLabels: { component: components[0] } }
    : { matchExpressions: [{ key: "component", operator: "In", values: components }] };
}

/**
 * Deny by default, then allow what a hub needs. Policies add up: the chart
 * installs its own for hub, proxy and user servers (user servers may reach
 * the public internet through them), so these cover what the chart leaves
 * open in a default-deny namespace: the ingress controller, DNS, the
 * Kubernetes API and the portal's OIDC endpoints for the components that
 * call them. With the autograder, grading pods get nothing at all: no
 * ingress, no egress, not even DNS (results leave through the pod's log).
 */
export function buildNetworkPolicies(
  input: HubManifestInput,
  labels: Record<string, string>,
): KubernetesManifest[] {
  const policies = [
    networkPolicy(input, labels, "default-deny", {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
    }),
    networkPolicy(input, labels, "allow-dns-egress", {
      podSelector: everyPodButGrading,
      policyTypes: ["Egress"],
      // Any destination: cluster DNS may be kube-dns, CoreDNS or a node-local cache.
      egress: [
        {
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    }),
    networkPolicy(input, labels, "allow-egress-within-namespace", {
      podSelector: everyPodButGrading,
      policyTypes: ["Egress"],
      // Which pod may receive what is decided by the ingress rules below.
      egress: [{ to: [{ podSelector: {} }] }],
    }),
    networkPolicy(input, labels, "allow-ingress-controller-to-proxy", {
      podSelector: componentSelector("proxy"),
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { "kubernetes.io/metadata.name": input.ingressControllerNamespace },
              },
            },
          ],
          ports: [{ protocol: "TCP", port: PROXY_HTTP_PORT }],
        },
      ],
    }),
    networkPolicy(input, labels, "allow-hub-ingress", {
      podSelector: componentSelector("hub"),
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { [NETWORK_ACCESS_HUB_LABEL]: "true" } } }],
          ports: [{ protocol: "TCP", port: HUB_PORT }],
        },
      ],
    }),
    networkPolicy(input, labels, "allow-proxy-api-from-hub", {
      podSelector: componentSelector("proxy"),
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ podSelector: componentSelector("hub") }],
          ports: [{ protocol: "TCP", port: PROXY_API_PORT }],
        },
      ],
    }),
    networkPolicy(input, labels, "allow-singleuser-from-hub-and-proxy", {
      podSelector: componentSelector("singleuser-server"),
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ podSelector: componentSelector("hub", "proxy") }],
          ports: [{ protocol: "TCP", port: SINGLEUSER_PORT }],
        },
      ],
    }),
    networkPolicy(input, labels, "allow-https-egress", {
      // The hub spawns through the Kubernetes API and signs users in at the
      // portal's token and userinfo endpoints; the user scheduler calls the
      // Kubernetes API. Addresses differ per cloud (443 on managed control
      // planes, 6443 on kubeadm), so only ports are pinned.
      podSelector: componentSelector("hub", "user-scheduler"),
      policyTypes: ["Egress"],
      egress: [
        {
          ports: [
            { protocol: "TCP", port: 443 },
            { protocol: "TCP", port: 6443 },
          ],
        },
      ],
    }),
  ];
  if (input.spec.autograder.isEnabled) {
    policies.push(
      networkPolicy(input, labels, "deny-grading-traffic", {
        // A student's notebook runs here with hidden tests beside it: it may not
        // send them anywhere, nor be reached. No rules: nothing is allowed.
        podSelector: { matchLabels: { [GRADING_LABEL]: "true" } },
        policyTypes: ["Ingress", "Egress"],
      }),
    );
  }
  return policies;
}
