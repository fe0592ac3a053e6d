import type { KubernetesObject } from "@kubernetes/client-node";
import { type KubernetesCluster } from "./cluster";
import { deleteObject } from "./objects";

/** The names of the pods in `namespace` that match a label selector (`component=hub`). */
export async function listPodNames(
  cluster: KubernetesCluster,
  namespace: string,
  labelSelector: string,
): Promise<string[]> {
  const pods = await cluster.objects.list<KubernetesObject>(
    "v1",
    "Pod",
    namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    labelSelector,
  );
  return pods.items.flatMap((pod) => (pod.metadata?.name ? [pod.metadata.name] : []));
}

/**
 * Deletes the pods in `namespace` that match a label selector, one call per pod (a user server's
 * pod is not managed by a controller: deleted, it is gone; a hub pod is recreated by its
 * Deployment). Returns the names of the pods it deleted; one already gone is not an error.
 */
export async function deletePods(
  cluster: KubernetesCluster,
  namespace: string,
  labelSelector: string,
): Promise<string[]> {
  const deleted: string[] = [];
  for (const name of await listPodNames(cluster, namespace, labelSelector)) {
    const outcome = await deleteObject(cluster, { apiVersion: "v1", kind: "Pod", namespace, name });
    if (outcome === "deleted") deleted.push(name);
  }
  return deleted;
}
