import type { KubernetesObject } from "@kubernetes/client-node";
import { SINGLEUSER_SERVER_SELECTOR, SINGLEUSER_STORAGE_SELECTOR } from "../manifests/conventions";
import { type KubernetesCluster } from "./cluster";

export interface NamespaceUsage {
  /** Single-user server pods that are scheduled (Pending pods request nothing yet). */
  runningServers: number;
  requestedMemoryMib: number;
  requestedMilliCpu: number;
  /** Requested capacity of the students' home volumes. */
  storageMib: bigint;
}

const binaryUnits: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 };
const decimalUnits: Record<string, number> = {
  k: 1000 / 1048576,
  M: 1_000_000 / 1048576,
  G: 1_000_000_000 / 1048576,
  T: 1e12 / 1048576,
};

/** A Kubernetes memory quantity ("1Gi", "512Mi", "1G", "1073741824") in MiB. */
export function memoryQuantityToMib(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMGT]i|[kMGT])?$/.exec(quantity.trim());
  if (!match?.[1]) return 0;
  const value = Number(match[1]);
  const unit = match[2];
  if (!unit) return value / 1048576;
  return value * (binaryUnits[unit] ?? decimalUnits[unit] ?? 0);
}

/** A CPU quantity ("250m", "0.5", "2") in thousandths of a core. */
export function cpuQuantityToMilli(quantity: string): number {
  const trimmed = quantity.trim();
  return trimmed.endsWith("m")
    ? Number(trimmed.slice(0, -1)) || 0
    : Math.round((Number(trimmed) || 0) * 1000);
}

interface PodLike extends KubernetesObject {
  spec?: { containers?: Array<{ resources?: { requests?: Record<string, string> } }> };
  status?: { phase?: string };
}

interface ClaimLike extends KubernetesObject {
  spec?: { resources?: { requests?: Record<string, string> } };
}

/**
 * What a hub's namespace requests right now, for metering (SPEC §6: "you pay
 * for what you request"): the requests of its running single-user pods
 * (z2jh labels them component=singleuser-server) and its home volumes.
 */
export async function readNamespaceUsage(
  cluster: KubernetesCluster,
  namespace: string,
): Promise<NamespaceUsage> {
  const pods = await cluster.objects.list<PodLike>(
    "v1",
    "Pod",
    namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    SINGLEUSER_SERVER_SELECTOR,
  );
  const claims = await cluster.objects.list<ClaimLike>(
    "v1",
    "PersistentVolumeClaim",
    namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    SINGLEUSER_STORAGE_SELECTOR,
  );
  let requestedMemoryMib = 0;
  let requestedMilliCpu = 0;
  let runningServers = 0;
  for (const pod of pods.items) {
    if (pod.status?.phase !== "Running") continue;
    runningServers += 1;
    for (const container of pod.spec?.containers ?? []) {
      requestedMemoryMib += memoryQuantityToMib(container.resources?.requests?.memory ?? "0");
      requestedMilliCpu += cpuQuantityToMilli(container.resources?.requests?.cpu ?? "0");
    }
  }
  const storageMib = claims.items.reduce(
    (sum, claim) =>
      sum +
      BigInt(Math.round(memoryQuantityToMib(claim.spec?.resources?.requests?.storage ?? "0"))),
    0n,
  );
  return {
    runningServers,
    requestedMemoryMib: Math.round(requestedMemoryMib),
    requestedMilliCpu,
    storageMib,
  };
}
