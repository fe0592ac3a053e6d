import { PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { type KubernetesCluster } from "./cluster";
import { HUB_SECRET_NAME, PORTAL_SERVICE_TOKEN_KEY } from "../manifests/conventions";
import { isNotFound } from "./errors";

export interface ObjectReference {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** Deletes one object; "absent" when it was already gone (idempotent). */
export async function deleteObject(
  cluster: KubernetesCluster,
  reference: ObjectReference,
): Promise<"deleted" | "absent"> {
  try {
    await cluster.objects.delete({
      apiVersion: reference.apiVersion,
      kind: reference.kind,
      metadata: { name: reference.name, namespace: reference.namespace },
    });
    return "deleted";
  } catch (error) {
    if (isNotFound(error)) return "absent";
    throw error;
  }
}

/**
 * Adds labels to every PersistentVolumeClaim in a namespace (a JSON merge
 * patch touches nothing else), e.g. to keep students' home volumes when a
 * hub is retired. Returns the claims' names.
 */
export async function labelPersistentVolumeClaims(
  cluster: KubernetesCluster,
  namespace: string,
  labels: Record<string, string>,
): Promise<string[]> {
  const list = await cluster.objects.list<KubernetesObject>(
    "v1",
    "PersistentVolumeClaim",
    namespace,
  );
  const names: string[] = [];
  for (const claim of list.items) {
    const name = claim.metadata?.name;
    if (!name) continue;
    await cluster.objects.patch(
      { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, namespace, labels } },
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    names.push(name);
  }
  return names;
}

/** One value of a Secret, decoded; undefined when the Secret or the key is not there. */
export async function readSecretValue(
  cluster: KubernetesCluster,
  { namespace, name, key }: { namespace: string; name: string; key: string },
): Promise<string | undefined> {
  let secret: KubernetesObject & { data?: Record<string, string> };
  try {
    secret = await cluster.objects.read({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, namespace },
    });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const encoded = secret.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, "base64").toString("utf8");
}

/**
 * The API token the chart generated for the portal's service (Secret `hub`), which the portal
 * uses to call the hub's REST API (taking a person's access away). Undefined before the chart
 * has created it.
 */
export function readPortalServiceToken(
  cluster: KubernetesCluster,
  namespace: string,
): Promise<string | undefined> {
  return readSecretValue(cluster, {
    namespace,
    name: HUB_SECRET_NAME,
    key: PORTAL_SERVICE_TOKEN_KEY,
  });
}
