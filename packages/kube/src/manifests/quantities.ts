/**
 * Quantities in the canonical form the API server stores them in. A
 * non-canonical form ("1024Mi", "1000m") is rewritten on write ("1Gi", "1"),
 * so the next server-side apply would see a difference on every reconcile.
 */
export function formatCpuQuantity(milliCores: number): string {
  return milliCores % 1000 === 0 ? String(milliCores / 1000) : `${milliCores}m`;
}

export function formatMemoryQuantity(mebibytes: number): string {
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}

/**
 * Memory as KubeSpawner reads it (JupyterHub's ByteSpecification): suffixes
 * K, M, G, T are powers of 1024, and Kubernetes-style "Mi"/"Gi" are rejected.
 */
export function formatKubeSpawnerMemory(mebibytes: number): string {
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}G` : `${mebibytes}M`;
}

/** KubeSpawner takes CPU in cores as a number. */
export function toCores(milliCores: number): number {
  return milliCores / 1000;
}
