import { isJsonObject, readNumberAt, readStringAt, type JsonObject } from "../json";
import { type ResourceOperations } from "./resource-operations";
import { requireResourceTypeByKind, type ResourceType } from "./resource-types";
import { formatKubernetesTime, type ObjectStore, type StoreEvent } from "./store";

export const HELM_RELEASE_TYPE = requireResourceTypeByKind(
  "helm.toolkit.fluxcd.io/v2",
  "HelmRelease",
);
const DEPLOYMENT_TYPE = requireResourceTypeByKind("apps/v1", "Deployment");
const STATEFUL_SET_TYPE = requireResourceTypeByKind("apps/v1", "StatefulSet");
const reconciledTypes = new Set<ResourceType>([
  HELM_RELEASE_TYPE,
  DEPLOYMENT_TYPE,
  STATEFUL_SET_TYPE,
]);

export interface SimulatedControllerOptions {
  isEnabled: boolean;
  /** How long "installing" takes, so a demo shows the step in progress. */
  delayMs: number;
}

/**
 * A stand-in for Flux's helm-controller and the workload controllers, for the
 * demo: a HelmRelease goes Ready=Unknown (Progressing) at once and Ready=True
 * after the delay; Deployments and StatefulSets report all replicas available.
 * Each reacts once per generation, as real controllers do via observedGeneration.
 */
export class SimulatedController {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly operations: ResourceOperations,
    private options: SimulatedControllerOptions,
  ) {}

  start(): void {
    this.unsubscribe ??= this.store.subscribe((event) => this.observe(event));
  }

  setEnabled(isEnabled: boolean): void {
    this.options = { ...this.options, isEnabled };
    if (!isEnabled) this.cancelAll();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.cancelAll();
  }

  private cancelAll(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private observe(event: StoreEvent): void {
    if (
      !this.options.isEnabled ||
      !reconciledTypes.has(event.resourceType) ||
      event.type === "DELETED"
    ) {
      return;
    }
    const generation = readNumberAt(event.object, ["metadata", "generation"]) ?? 1;
    if (readNumberAt(event.object, ["status", "observedGeneration"]) === generation) return;
    const name = readStringAt(event.object, ["metadata", "name"]) ?? "";
    const uid = readStringAt(event.object, ["metadata", "uid"]) ?? "";
    const key = `${event.resourceType.plural}/${event.namespace ?? ""}/${name}/${uid}/${generation}`;
    if (this.pending.has(key)) return;
    const address = { type: event.resourceType, namespace: event.namespace, name };
    // Status writes happen outside the store's publish loop, never inside it.
    const progressTimer = setTimeout(() => {
      if (event.resourceType === HELM_RELEASE_TYPE)
        this.writeIfCurrent(address, generation, progressingHelmReleaseStatus);
      const readyTimer = setTimeout(() => {
        this.pending.delete(key);
        this.writeIfCurrent(address, generation, readyStatusFor(event.resourceType));
      }, this.options.delayMs);
      this.pending.set(key, readyTimer);
    }, 0);
    this.pending.set(key, progressTimer);
  }

  private writeIfCurrent(
    address: { type: ResourceType; namespace: string | undefined; name: string },
    generation: number,
    buildStatus: (object: JsonObject, generation: number) => JsonObject,
  ): void {
    const current = this.store.read(address.type, address.namespace, address.name);
    if (!current || readNumberAt(current, ["metadata", "generation"]) !== generation) return;
    this.operations.setStatus(address, buildStatus(current, generation));
  }
}

function readyStatusFor(
  type: ResourceType,
): (object: JsonObject, generation: number) => JsonObject {
  if (type === HELM_RELEASE_TYPE) return buildReadyHelmReleaseStatus;
  if (type === DEPLOYMENT_TYPE) return availableDeploymentStatus;
  return availableStatefulSetStatus;
}

function progressingHelmReleaseStatus(object: JsonObject): JsonObject {
  const previous = object.status;
  return {
    ...(isJsonObject(previous) ? previous : {}),
    conditions: [
      {
        type: "Ready",
        status: "Unknown",
        reason: "Progressing",
        message: "Reconciliation in progress",
        lastTransitionTime: formatKubernetesTime(new Date()),
      },
    ],
  };
}

/** The status helm-controller writes after a successful install or upgrade. */
export function buildReadyHelmReleaseStatus(object: JsonObject, generation: number): JsonObject {
  const namespace = readStringAt(object, ["metadata", "namespace"]) ?? "";
  const releaseName =
    readStringAt(object, ["spec", "releaseName"]) ??
    readStringAt(object, ["metadata", "name"]) ??
    "";
  const chart = readStringAt(object, ["spec", "chart", "spec", "chart"]) ?? "";
  const version = readStringAt(object, ["spec", "chart", "spec", "version"]) ?? "";
  const now = formatKubernetesTime(new Date());
  const message = `Helm install succeeded for release ${namespace}/${releaseName}.v1 with chart ${chart}@${version}`;
  return {
    observedGeneration: generation,
    lastAttemptedGeneration: generation,
    lastAttemptedRevision: version,
    conditions: [
      {
        type: "Ready",
        status: "True",
        reason: "InstallSucceeded",
        message,
        lastTransitionTime: now,
        observedGeneration: generation,
      },
      {
        type: "Released",
        status: "True",
        reason: "InstallSucceeded",
        message,
        lastTransitionTime: now,
        observedGeneration: generation,
      },
    ],
  };
}

function availableDeploymentStatus(object: JsonObject, generation: number): JsonObject {
  const replicas = readNumberAt(object, ["spec", "replicas"]) ?? 1;
  const now = formatKubernetesTime(new Date());
  return {
    observedGeneration: generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      {
        type: "Available",
        status: "True",
        reason: "MinimumReplicasAvailable",
        lastTransitionTime: now,
      },
      {
        type: "Progressing",
        status: "True",
        reason: "NewReplicaSetAvailable",
        lastTransitionTime: now,
      },
    ],
  };
}

function availableStatefulSetStatus(object: JsonObject, generation: number): JsonObject {
  const replicas = readNumberAt(object, ["spec", "replicas"]) ?? 1;
  return {
    observedGeneration: generation,
    replicas,
    readyReplicas: replicas,
    currentReplicas: replicas,
    updatedReplicas: replicas,
    availableReplicas: replicas,
  };
}
