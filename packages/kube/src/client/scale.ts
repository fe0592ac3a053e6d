import { AppsV1Api, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { type KubernetesCluster } from "./cluster";

export interface DeploymentScale {
  /** What the Deployment asks for (`spec.replicas`). */
  desiredReplicas: number;
  /** What is running (`status.replicas`). */
  currentReplicas: number;
  resourceVersion: string;
}

/** Reads a Deployment's scale subresource (`autoscaling/v1` Scale). */
export async function readDeploymentScale(
  cluster: KubernetesCluster,
  { namespace, name }: { namespace: string; name: string },
): Promise<DeploymentScale> {
  const scale = await cluster.kubeConfig
    .makeApiClient(AppsV1Api)
    .readNamespacedDeploymentScale({ namespace, name });
  return {
    desiredReplicas: scale.spec?.replicas ?? 0,
    currentReplicas: scale.status?.replicas ?? 0,
    resourceVersion: scale.metadata?.resourceVersion ?? "",
  };
}

/**
 * Sets a Deployment's replicas with one call on its scale subresource
 * (`PATCH …/deployments/<name>/scale`, a JSON merge patch of
 * `spec.replicas`): the rest of the object is neither read nor rewritten, and
 * the write is recorded under `fieldManager`, the manager that owns the field
 * (see `REPLICAS_OWNER_ANNOTATION`). Setting the count it already has changes
 * nothing on the server, but callers that remember what they applied should
 * not call at all.
 */
export async function scaleDeployment(
  cluster: KubernetesCluster,
  {
    namespace,
    name,
    replicas,
    fieldManager,
  }: { namespace: string; name: string; replicas: number; fieldManager: string },
): Promise<DeploymentScale> {
  if (!Number.isInteger(replicas) || replicas < 0)
    throw new Error(`replicas must be a whole number ≥ 0, not ${replicas}`);
  const scale = await cluster.kubeConfig
    .makeApiClient(AppsV1Api)
    .patchNamespacedDeploymentScale(
      { namespace, name, body: { spec: { replicas } }, fieldManager },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
  return {
    desiredReplicas: scale.spec?.replicas ?? 0,
    currentReplicas: scale.status?.replicas ?? 0,
    resourceVersion: scale.metadata?.resourceVersion ?? "",
  };
}
