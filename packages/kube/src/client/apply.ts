import { PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { describeManifest } from "../manifests/hub-objects";
import { type KubernetesManifest } from "../manifests/types";
import { type KubernetesCluster } from "./cluster";
import { describeKubernetesError, isNotFound, type KubernetesCallError } from "./errors";

export const HUBFED_FIELD_MANAGER = "hubfed";

/** kubectl's words: the object was created, changed, or already as desired. */
export type ApplyOutcome = "created" | "configured" | "unchanged";

export interface AppliedObject {
  /** e.g. "apps/v1 Deployment hub-data-8/autograder" */
  object: string;
  outcome: ApplyOutcome;
  resourceVersion: string;
}

export interface ApplyOptions {
  fieldManager?: string;
  /**
   * Take fields another manager changed back (default). Hubfed is the source
   * of truth for what it applies; someone's `kubectl edit` is drift to undo,
   * not a conflict to stop on.
   */
  isForced?: boolean;
  /** Called after each object, for step-by-step progress. */
  onApplied?: (applied: AppliedObject) => void;
  /**
   * resourceVersions this caller saw after its previous apply, by object
   * description. With one known, the apply's answer alone tells "unchanged"
   * (same version) from "configured", saving the read before each apply —
   * half the calls of a drift reconcile of an unchanged fleet.
   */
  knownResourceVersions?: Readonly<Record<string, string>>;
}

/** Thrown when one object fails: nothing after it was attempted. */
export class KubernetesApplyError extends Error {
  constructor(
    readonly object: string,
    readonly failure: KubernetesCallError,
    readonly appliedBeforeFailure: AppliedObject[],
  ) {
    super(`Applying ${object} failed: ${failure.message}`);
    this.name = "KubernetesApplyError";
  }
}

/** What KubernetesObjectApi.read needs: type and name, nothing else. */
function toReference(object: KubernetesManifest) {
  const { name, namespace } = object.metadata;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: namespace === undefined ? { name } : { name, namespace },
  };
}

async function readResourceVersion(
  cluster: KubernetesCluster,
  object: KubernetesManifest,
): Promise<string | undefined> {
  try {
    const current = await cluster.objects.read(toReference(object));
    return current.metadata?.resourceVersion;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Server-side applies objects one at a time, in order (later objects may
 * need earlier ones, e.g. their namespace), and reports for each whether it
 * changed, by its resourceVersion before and after: an apply that changes
 * nothing does not move it, so a reconcile of an unchanged hub writes nothing.
 * Stops at the first failure. Error messages name objects, never their
 * content (a Secret's data must not reach a log).
 */
export async function applyObjects(
  cluster: KubernetesCluster,
  objects: readonly KubernetesManifest[],
  options: ApplyOptions = {},
): Promise<AppliedObject[]> {
  const fieldManager = options.fieldManager ?? HUBFED_FIELD_MANAGER;
  const isForced = options.isForced ?? true;
  const appliedObjects: AppliedObject[] = [];
  for (const object of objects) {
    const description = describeManifest(object);
    try {
      const known = options.knownResourceVersions?.[description];
      const before = known ?? (await readResourceVersion(cluster, object));
      // The client fills in defaults on the object it is given; hand it a copy.
      const applied = await cluster.objects.patch<KubernetesObject>(
        structuredClone(object),
        undefined,
        undefined,
        fieldManager,
        isForced,
        PatchStrategy.ServerSideApply,
      );
      const after = applied.metadata?.resourceVersion ?? "";
      const outcome: ApplyOutcome =
        before === undefined ? "created" : before === after ? "unchanged" : "configured";
      const result = { object: description, outcome, resourceVersion: after };
      appliedObjects.push(result);
      options.onApplied?.(result);
    } catch (error) {
      throw new KubernetesApplyError(description, describeKubernetesError(error), appliedObjects);
    }
  }
  return appliedObjects;
}
