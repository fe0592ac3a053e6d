import { type KubernetesObject } from "@kubernetes/client-node";
import { isJsonObject, readNumberAt, toJsonObject, type JsonValue } from "../json";
import { type KubernetesCluster } from "./cluster";
import { isNotFound } from "./errors";

export interface HelmReleaseReadiness {
  isFound: boolean;
  /** Ready=True for the release's current generation. */
  isReady: boolean;
  /** The Ready condition's status ("True", "False", "Unknown"), or null before Flux reported. */
  readyStatus: string | null;
  reason: string | null;
  message: string | null;
  generation: number | null;
  observedGeneration: number | null;
}

const absent: HelmReleaseReadiness = {
  isFound: false,
  isReady: false,
  readyStatus: null,
  reason: null,
  message: null,
  generation: null,
  observedGeneration: null,
};

/**
 * Reads a HelmRelease's readiness from its Ready condition. A Ready=True
 * about an older generation (Flux has not seen the latest values yet) is not
 * ready: it describes the previous spec.
 */
export async function readHelmReleaseReady(
  cluster: KubernetesCluster,
  namespace: string,
  name: string,
): Promise<HelmReleaseReadiness> {
  let release: KubernetesObject;
  try {
    release = await cluster.objects.read({
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      metadata: { name, namespace },
    });
  } catch (error) {
    if (isNotFound(error)) return absent;
    throw error;
  }
  const object = toJsonObject(release);
  const generation = readNumberAt(object, ["metadata", "generation"]) ?? null;
  const conditions = readConditions(object.status);
  const ready = conditions.find((condition) => condition.type === "Ready");
  const observedGeneration =
    (ready === undefined ? undefined : readNumberAt(ready, ["observedGeneration"])) ??
    readNumberAt(object, ["status", "observedGeneration"]) ??
    null;
  const isCurrent =
    generation === null || (observedGeneration !== null && observedGeneration >= generation);
  return {
    isFound: true,
    isReady: ready?.status === "True" && isCurrent,
    readyStatus: typeof ready?.status === "string" ? ready.status : null,
    reason: typeof ready?.reason === "string" ? ready.reason : null,
    message: typeof ready?.message === "string" ? ready.message : null,
    generation,
    observedGeneration,
  };
}

function readConditions(status: JsonValue | undefined) {
  if (!isJsonObject(status) || !Array.isArray(status.conditions)) return [];
  return status.conditions.filter(isJsonObject);
}
