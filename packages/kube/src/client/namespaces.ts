import { type KubernetesCluster } from "./cluster";
import { isNotFound } from "./errors";

/**
 * Deletes a hub's namespace and with it everything in it. Idempotent:
 * "absent" when it was already gone. The cluster finishes the deletion in the
 * background (the namespace is Terminating until its objects are gone).
 */
export async function deleteNamespace(
  cluster: KubernetesCluster,
  name: string,
): Promise<"deleted" | "absent"> {
  try {
    await cluster.objects.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
    return "deleted";
  } catch (error) {
    if (isNotFound(error)) return "absent";
    throw error;
  }
}
