import { connectToCluster, type ClusterConnection, type KubernetesCluster } from "./cluster";
import {
  KubernetesTimeoutError,
  describeKubernetesError,
  type KubernetesCallError,
} from "./errors";

export type ClusterTarget = KubernetesCluster | { name: string; connection: ClusterConnection };

export interface FanOutResult<T> {
  results: Array<{ cluster: string; value: T }>;
  errors: Array<{ cluster: string; error: KubernetesCallError }>;
}

/**
 * Runs one call against every cluster at once and collects what each
 * answered (STYLE rule 7): a cluster that is down, slow or refuses shows up
 * in `errors` and never hides the others' results. Never throws. Results and
 * errors keep the order of the given clusters.
 */
export async function fanOutToClusters<T>(
  targets: readonly ClusterTarget[],
  call: (cluster: KubernetesCluster) => Promise<T>,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<FanOutResult<T>> {
  type Outcome = { isSuccess: true; value: T } | { isSuccess: false; error: KubernetesCallError };
  const outcomes = await Promise.all(
    targets.map(async (target): Promise<Outcome> => {
      try {
        const cluster =
          "connection" in target ? connectToCluster(target.name, target.connection) : target;
        return { isSuccess: true, value: await withTimeout(call(cluster), timeoutMs) };
      } catch (error) {
        return { isSuccess: false, error: describeKubernetesError(error) };
      }
    }),
  );
  const result: FanOutResult<T> = { results: [], errors: [] };
  outcomes.forEach((outcome, index) => {
    const cluster = targets[index]?.name ?? "";
    if (outcome.isSuccess) result.results.push({ cluster, value: outcome.value });
    else result.errors.push({ cluster, error: outcome.error });
  });
  return result;
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KubernetesTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
