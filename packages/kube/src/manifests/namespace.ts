import { buildHubLabels, buildHubNamespaceName } from "./labels";
import { formatCpuQuantity, formatMemoryQuantity } from "./quantities";
import { type HubManifestInput, type KubernetesManifest } from "./types";

export function buildHubNamespace(input: HubManifestInput): KubernetesManifest {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: buildHubNamespaceName(input.hubSlug), labels: buildHubLabels(input) },
  };
}

/**
 * Limits of everything a hub runs besides user servers, in millicores and
 * MiB: hub (1 core/1Gi, set in the values), proxy (500m/512Mi, set in the
 * values), two user-scheduler replicas at the LimitRange default (2 ×
 * 500m/512Mi) and continuous image pullers, one per user node, at the
 * values' 100m/64Mi for up to 20 nodes (2 cores/1280Mi). Rounded up.
 */
export const CORE_PODS_LIMITS = { cpuMilli: 5000, memoryMib: 4096 } as const;

/**
 * Grading Jobs a hub's namespace admits at once (the worker's grading queue
 * runs no more per hub); each gets at most a user server's limits.
 */
export const GRADING_CONCURRENT_JOBS = 2;

/** Container defaults for pods that set no resources (chart components such as the user scheduler). */
export const CONTAINER_DEFAULTS = {
  requestsCpuMilli: 50,
  requestsMemoryMib: 128,
  limitsCpuMilli: 500,
  limitsMemoryMib: 512,
} as const;

/** Expected concurrency is a forecast; 20% more seats absorb a busier lecture than planned. */
const CONCURRENCY_HEADROOM = 1.2;

/** The number of user servers the quota must admit at once. */
export function countQuotaSeats(input: HubManifestInput): number {
  return Math.ceil(input.expectedConcurrentUsers * CONCURRENCY_HEADROOM);
}

/**
 * What the most capacity placeholders the hub may hold add to its limits.
 * They count in full: quota is checked when a pod is created, before the
 * scheduler preempts the placeholder a user displaces.
 */
export function countPlaceholderLimits(input: HubManifestInput): {
  cpuMilli: number;
  memoryMib: number;
} {
  const { podCpuMilli, podMemoryMib, maxPods } = input.capacityPlaceholders;
  return { cpuMilli: maxPods * podCpuMilli, memoryMib: maxPods * podMemoryMib };
}

/**
 * The namespace's ceiling, on limits:
 *
 *   limits = (seats + grading jobs) × per-user limit + placeholders + core limits
 *   seats  = ⌈expected concurrent users × 1.2⌉
 *   placeholders = max placeholder pods × placeholder pod size (node-sized)
 *
 * Requests are at most limits container by container, so a ceiling on
 * limits bounds what a course can reserve (and therefore cost) too; a
 * second ceiling on requests would only be a second number to keep right,
 * and keeps guarantees a pure chart setting. Load balancers and node ports are
 * forbidden: the hub is reached through the region's ingress (one cloud load
 * balancer per course otherwise, REFERENCE §3). Storage is not capped here:
 * home volumes exist for every enrolled student, not per concurrent user.
 */
export function buildResourceQuota(
  input: HubManifestInput,
  labels: Record<string, string>,
): KubernetesManifest {
  const { spec } = input;
  const isGrading = spec.autograder.isEnabled;
  const userSizedPods = countQuotaSeats(input) + (isGrading ? GRADING_CONCURRENT_JOBS : 0);
  const placeholders = countPlaceholderLimits(input);
  const limitsCpu =
    userSizedPods * spec.cpuLimitMilli + placeholders.cpuMilli + CORE_PODS_LIMITS.cpuMilli;
  const limitsMemory =
    userSizedPods * spec.memoryLimitMib + placeholders.memoryMib + CORE_PODS_LIMITS.memoryMib;
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "hub-quota", namespace: buildHubNamespaceName(input.hubSlug), labels },
    spec: {
      hard: {
        "limits.cpu": formatCpuQuantity(limitsCpu),
        "limits.memory": formatMemoryQuantity(limitsMemory),
        "services.loadbalancers": "0",
        "services.nodeports": "0",
      },
    },
  };
}

/**
 * Defaults for containers that set no resources (a quota on limits rejects
 * them otherwise), and per-container and per-claim maximums no larger than
 * what this hub's users are granted (or a capacity placeholder holds), so
 * nothing in the namespace outgrows the request that was approved.
 */
export function buildLimitRange(
  input: HubManifestInput,
  labels: Record<string, string>,
): KubernetesManifest {
  const { spec } = input;
  const placeholder = input.capacityPlaceholders;
  const maximumCpuMilli = Math.max(
    spec.cpuLimitMilli,
    1000,
    placeholder.maxPods > 0 ? placeholder.podCpuMilli : 0,
  );
  const maximumMemoryMib = Math.max(
    spec.memoryLimitMib,
    1024,
    placeholder.maxPods > 0 ? placeholder.podMemoryMib : 0,
  );
  return {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: { name: "hub-limits", namespace: buildHubNamespaceName(input.hubSlug), labels },
    spec: {
      limits: [
        {
          type: "Container",
          defaultRequest: {
            cpu: formatCpuQuantity(CONTAINER_DEFAULTS.requestsCpuMilli),
            memory: formatMemoryQuantity(CONTAINER_DEFAULTS.requestsMemoryMib),
          },
          default: {
            cpu: formatCpuQuantity(CONTAINER_DEFAULTS.limitsCpuMilli),
            memory: formatMemoryQuantity(CONTAINER_DEFAULTS.limitsMemoryMib),
          },
          max: {
            cpu: formatCpuQuantity(maximumCpuMilli),
            memory: formatMemoryQuantity(maximumMemoryMib),
          },
        },
        {
          type: "PersistentVolumeClaim",
          // The hub's own database volume is 1Gi.
          max: { storage: `${Math.max(spec.storageGib, 1)}Gi` },
        },
      ],
    },
  };
}
