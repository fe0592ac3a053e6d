import { buildClusterLabels, buildHubNamespaceName } from "./labels";
import { formatCpuQuantity, formatMemoryQuantity } from "./quantities";
import { type HubManifestInput, type KubernetesManifest } from "./types";

/**
 * Capacity placeholders (SPEC §7, REFERENCE §4): low-priority pause pods that
 * hold user nodes warm ahead of a class. A real user's pod preempts one, the
 * evicted placeholder goes Pending, and the cluster autoscaler adds a node
 * while the students are still being seated, not after they wait.
 *
 * Hubfed owns this Deployment instead of the chart's `userPlaceholder`
 * StatefulSet: a Flux upgrade resets the chart's replicas to its values, so
 * planned capacity would be a chart upgrade; here it is one scale call.
 */
export const CAPACITY_PLACEHOLDERS_NAME = "hubfed-capacity-placeholders";
/** Shared by every hub of a cluster. */
export const CAPACITY_PLACEHOLDER_PRIORITY_CLASS = "hubfed-capacity-placeholder";
/**
 * Below user servers (the chart gives them 0) so users preempt placeholders,
 * and not below −10: the cluster autoscaler ignores pending pods under −10,
 * and a placeholder that no longer triggers scale-up holds nothing.
 */
export const CAPACITY_PLACEHOLDER_PRIORITY = -10;
/**
 * The field manager that owns the placeholders' `spec.replicas`: the
 * capacity job's scale calls, never the reconcile's apply (see
 * `REPLICAS_OWNER_ANNOTATION` and `applyObjects`).
 */
export const CAPACITY_FIELD_MANAGER = "hubfed-capacity";
/**
 * Set on an object whose `spec.replicas` another field manager owns after
 * creation. `applyObjects` creates it with the built replicas, hands the
 * field to the named manager and leaves it out of every later apply.
 */
export const REPLICAS_OWNER_ANNOTATION = "hubfed.io/replicas-owned-by";
export const PAUSE_IMAGE = "registry.k8s.io/pause:3.10";

/** What the system (kubelet, daemon sets) keeps of a node: a placeholder asks for the rest. */
const NODE_MARGIN = 0.15;

/** One placeholder per user node: the node's memory and CPU less the margin, in whole GiB and 100m steps. */
export function placeholderPodSizeFor(pool: { memoryMib: number; vcpu: number }): {
  podMemoryMib: number;
  podCpuMilli: number;
} {
  const podMemoryMib = Math.max(
    1024,
    Math.floor((pool.memoryMib * (1 - NODE_MARGIN)) / 1024) * 1024,
  );
  const podCpuMilli = Math.max(100, Math.floor((pool.vcpu * 1000 * (1 - NODE_MARGIN)) / 100) * 100);
  return { podMemoryMib, podCpuMilli };
}

export function buildCapacityPlaceholderPriorityClass(): KubernetesManifest {
  return {
    apiVersion: "scheduling.k8s.io/v1",
    kind: "PriorityClass",
    metadata: { name: CAPACITY_PLACEHOLDER_PRIORITY_CLASS, labels: buildClusterLabels() },
    value: CAPACITY_PLACEHOLDER_PRIORITY,
    globalDefault: false,
    // A placeholder waits for room; it never evicts anyone to get it.
    preemptionPolicy: "Never",
    description: "Hubfed capacity placeholders: held ahead of classes, preempted by students.",
  };
}

/**
 * The hub's placeholder Deployment, built with zero replicas: that is its
 * size only when first created. Afterwards `spec.replicas` belongs to the
 * capacity job (`CAPACITY_FIELD_MANAGER`), which scales it through the scale
 * subresource; `REPLICAS_OWNER_ANNOTATION` tells `applyObjects` to leave the
 * field out of every later apply, so a drift reconcile never resets it.
 */
export function buildCapacityPlaceholders(
  input: HubManifestInput,
  labels: Record<string, string>,
): KubernetesManifest {
  const { podMemoryMib, podCpuMilli } = input.capacityPlaceholders;
  const selectorLabels = { component: CAPACITY_PLACEHOLDERS_NAME };
  // Requests equal limits: the LimitRange would otherwise give a default limit below the request.
  const resources = {
    cpu: formatCpuQuantity(podCpuMilli),
    memory: formatMemoryQuantity(podMemoryMib),
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: CAPACITY_PLACEHOLDERS_NAME,
      namespace: buildHubNamespaceName(input.hubSlug),
      labels,
      annotations: { [REPLICAS_OWNER_ANNOTATION]: CAPACITY_FIELD_MANAGER },
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: selectorLabels },
      template: {
        metadata: { labels: { ...labels, ...selectorLabels } },
        spec: {
          priorityClassName: CAPACITY_PLACEHOLDER_PRIORITY_CLASS,
          // Pause exits at once on SIGTERM; a preempted placeholder frees its node immediately.
          terminationGracePeriodSeconds: 0,
          automountServiceAccountToken: false,
          // The same nodes as user servers (the chart's matchNodePurpose).
          affinity: {
            nodeAffinity:
              input.userNodeAffinity === "require"
                ? {
                    requiredDuringSchedulingIgnoredDuringExecution: {
                      nodeSelectorTerms: [userNodeSelectorTerm],
                    },
                  }
                : {
                    preferredDuringSchedulingIgnoredDuringExecution: [
                      { weight: 100, preference: userNodeSelectorTerm },
                    ],
                  },
          },
          tolerations: [
            {
              key: "hub.jupyter.org/dedicated",
              operator: "Equal",
              value: "user",
              effect: "NoSchedule",
            },
            {
              key: "hub.jupyter.org_dedicated",
              operator: "Equal",
              value: "user",
              effect: "NoSchedule",
            },
          ],
          containers: [
            {
              name: "pause",
              image: PAUSE_IMAGE,
              resources: { requests: resources, limits: resources },
              securityContext: {
                allowPrivilegeEscalation: false,
                runAsNonRoot: true,
                runAsUser: 65534,
              },
            },
          ],
        },
      },
    },
  };
}

/** The label z2jh's user pods select nodes by (`scheduling.userPods.nodeAffinity.matchNodePurpose`). */
const userNodeSelectorTerm = {
  matchExpressions: [{ key: "hub.jupyter.org/node-purpose", operator: "In", values: ["user"] }],
};
