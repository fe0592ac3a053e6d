import { PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { REPLICAS_OWNER_ANNOTATION } from "../manifests/capacity-placeholders";
import { describeManifest } from "../manifests/hub-objects";
import { type KubernetesManifest } from "../manifests/types";
import { type KubernetesCluster } from "./cluster";
import { describeKubernetesError, isNotFound, type KubernetesCallError } from "./errors";

export const HUBFED_FIELD_MANAGER = "hubfed";

/** kubectl's words: the object was created, changed, or already as desired. */
export type ApplyOutcome = "created" | "configured" | "unchanged";

export interface AppliedObject {
  /** e.g. "apps/v1 Deployment hub-data-8/hubfed-capacity-placeholders" */
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
  /**
   * Whether the caller can vouch, without a request, that applying `object` would change
   * nothing: it is still at `knownVersion` (the version this caller's last apply answered with:
   * nobody has written it since) and that apply sent this same content. Such an object is
   * reported unchanged at that version and not sent; any doubt returns false and it is applied.
   */
  isUnchangedSince?: (
    object: KubernetesManifest,
    description: string,
    knownVersion: string,
  ) => boolean;
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

async function readCurrent(
  cluster: KubernetesCluster,
  object: KubernetesManifest,
): Promise<KubernetesObject | undefined> {
  try {
    return await cluster.objects.read(toReference(object));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Whether `manager` owns `.spec.replicas` in any of its managedFields entries (Apply or Update). */
export function ownsReplicas(object: KubernetesObject, manager: string): boolean {
  return (object.metadata?.managedFields ?? []).some((entry) => {
    if (entry.manager !== manager) return false;
    const fields = entry.fieldsV1 as { "f:spec"?: { "f:replicas"?: unknown } } | undefined;
    return fields?.["f:spec"]?.["f:replicas"] !== undefined;
  });
}

function withoutReplicas(object: KubernetesManifest): KubernetesManifest {
  const copy = structuredClone(object);
  if (typeof copy.spec === "object" && copy.spec !== null)
    delete (copy.spec as { replicas?: unknown }).replicas;
  return copy;
}

/**
 * Gives `.spec.replicas` to its owner: a server-side apply of that one field,
 * at its current value, under the owner's field manager. The field is then
 * shared, and our own manager can stop applying it without the API server
 * removing it (a field no manager applies any more is removed, and a
 * Deployment's replicas would default back to 1).
 */
async function handOverReplicas(
  cluster: KubernetesCluster,
  object: KubernetesManifest,
  owner: string,
  replicas: number,
): Promise<void> {
  await cluster.objects.patch<KubernetesObject>(
    { ...toReference(object), spec: { replicas } } as KubernetesObject,
    undefined,
    undefined,
    owner,
    false,
    PatchStrategy.ServerSideApply,
  );
}

function replicasOf(object: KubernetesObject | KubernetesManifest): number {
  const replicas = (object as { spec?: { replicas?: unknown } }).spec?.replicas;
  return typeof replicas === "number" ? replicas : 0;
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
  const apply = (object: KubernetesManifest) =>
    cluster.objects.patch<KubernetesObject>(
      structuredClone(object),
      undefined,
      undefined,
      fieldManager,
      isForced,
      PatchStrategy.ServerSideApply,
    );
  for (const object of objects) {
    const description = describeManifest(object);
    const remembered = options.knownResourceVersions?.[description];
    if (remembered !== undefined && options.isUnchangedSince?.(object, description, remembered)) {
      const result = {
        object: description,
        outcome: "unchanged" as const,
        resourceVersion: remembered,
      };
      appliedObjects.push(result);
      options.onApplied?.(result);
      continue;
    }
    try {
      const replicasOwner = object.metadata.annotations?.[REPLICAS_OWNER_ANNOTATION];
      // Always read an object whose replicas another manager owns: applied
      // without them to an object that vanished, it would be re-created at the
      // API server's default of one replica.
      const known =
        replicasOwner === undefined ? options.knownResourceVersions?.[description] : undefined;
      let before = known;
      let isCreating = false;
      let body = object;
      if (known === undefined) {
        const current = await readCurrent(cluster, object);
        before = current?.metadata?.resourceVersion;
        isCreating = current === undefined;
        // Left by an interrupted creation: hand the field over before we stop applying it.
        if (current && replicasOwner && !ownsReplicas(current, replicasOwner))
          await handOverReplicas(cluster, object, replicasOwner, replicasOf(current));
      }
      if (replicasOwner && !isCreating) body = withoutReplicas(object);
      // The client fills in defaults on the object it is given; hand it a copy.
      let applied = await apply(body);
      if (replicasOwner && isCreating) {
        // Replicas another manager scales (the capacity placeholders): created
        // with the built count, then owned by that manager. Leaving the field
        // out of the very first apply is not an option: the API server would
        // default a Deployment to one replica, one node-sized placeholder the
        // plan never asked for. Applying it on every reconcile is not either:
        // forced, it would take the field back and undo the last scale call.
        // So: create with it, share it with its owner, and apply again without
        // it, which drops our claim (our manager no longer owns replicas).
        // Every later apply leaves it out and, unchanged, writes nothing.
        await handOverReplicas(cluster, object, replicasOwner, replicasOf(object));
        applied = await apply(withoutReplicas(object));
      }
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
