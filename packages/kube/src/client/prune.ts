import { type KubernetesObject } from "@kubernetes/client-node";
import { describeManifest } from "../manifests/hub-objects";
import { HUB_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "../manifests/labels";
import { HUBFED_FIELD_MANAGER } from "./apply";
import { type KubernetesCluster } from "./cluster";
import { isNotFound } from "./errors";

/** A kind reconcile applies inside a hub's namespace, and so may have to remove. */
export interface PrunableKind {
  apiVersion: string;
  kind: string;
}

/**
 * The namespaced kinds reconcile applies for a hub. Deliberately absent: the
 * Namespace itself (deleting it would take the students' home volumes with
 * it), PersistentVolumeClaims (homes are retained, SPEC §4) and anything the
 * chart creates (Helm labels those `managed-by: Helm`, not ours). Grading
 * Jobs and their ConfigMaps are not reconcile's: the sandbox deletes them.
 * ServiceAccount, Role, RoleBinding and Service stay listed although no hub
 * wants one today: hubs from before grading ran in Jobs had an autograder
 * Deployment with them, and their next reconcile removes it.
 */
export const PRUNABLE_KINDS: readonly PrunableKind[] = [
  { apiVersion: "v1", kind: "ResourceQuota" },
  { apiVersion: "v1", kind: "LimitRange" },
  { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" },
  { apiVersion: "v1", kind: "Secret" },
  { apiVersion: "v1", kind: "ServiceAccount" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding" },
  { apiVersion: "apps/v1", kind: "Deployment" },
  { apiVersion: "v1", kind: "Service" },
  { apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease" },
];

export interface PruneRequest {
  namespace: string;
  hubSlug: string;
  /** Descriptions (describeManifest) of every object the hub's spec wants: these stay. */
  keep: ReadonlySet<string>;
  /** Which kinds to look through; defaults to every prunable kind. */
  kinds?: readonly PrunableKind[];
  fieldManager?: string;
}

function isAppliedBy(object: KubernetesObject, fieldManager: string): boolean {
  return (object.metadata?.managedFields ?? []).some(
    (entry) => entry.manager === fieldManager && entry.operation === "Apply",
  );
}

/**
 * Deletes the hub's objects of the given kinds that the spec no longer
 * wants (kubectl apply --prune, narrowed): only objects in the hub's
 * namespace that carry both our managed-by label and the hub's label, and
 * that our field manager applied. Anything else — someone's ConfigMap, the
 * chart's objects, home volumes — is never touched. Returns what it deleted.
 */
export async function pruneHubObjects(
  cluster: KubernetesCluster,
  request: PruneRequest,
): Promise<string[]> {
  const fieldManager = request.fieldManager ?? HUBFED_FIELD_MANAGER;
  const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${HUB_LABEL}=${request.hubSlug}`;
  const prunableKinds = new Set(PRUNABLE_KINDS.map((kind) => `${kind.apiVersion} ${kind.kind}`));
  const deleted: string[] = [];
  for (const { apiVersion, kind } of request.kinds ?? PRUNABLE_KINDS) {
    if (!prunableKinds.has(`${apiVersion} ${kind}`)) continue;
    const list = await cluster.objects.list<KubernetesObject>(
      apiVersion,
      kind,
      request.namespace,
      undefined,
      undefined,
      undefined,
      undefined,
      selector,
    );
    for (const item of list.items) {
      const name = item.metadata?.name;
      if (!name) continue;
      const description = describeManifest({
        apiVersion,
        kind,
        metadata: { name, namespace: request.namespace },
      });
      if (request.keep.has(description) || !isAppliedBy(item, fieldManager)) continue;
      try {
        // Background: a Deployment's ReplicaSets and pods follow it without holding up reconcile.
        await cluster.objects.delete(
          { apiVersion, kind, metadata: { name, namespace: request.namespace } },
          undefined,
          undefined,
          undefined,
          undefined,
          "Background",
        );
        deleted.push(description);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }
  return deleted;
}

/** "apps/v1 Deployment hub-x/hubfed-capacity-placeholders" → its kind, for the kinds a prune must look through. */
export function kindOfDescription(description: string): PrunableKind | undefined {
  const [apiVersion, kind] = description.split(" ");
  return apiVersion && kind ? { apiVersion, kind } : undefined;
}
