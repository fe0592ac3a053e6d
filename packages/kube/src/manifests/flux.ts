import { buildClusterLabels, buildHubNamespaceName } from "./labels";
import { type HubManifestInput, type KubernetesManifest } from "./types";

export const Z2JH_CHART_NAME = "jupyterhub";

/**
 * The namespace holding the chart's HelmRepository. One per cluster, shared
 * by every hub there; identical for all of them, so each hub's reconcile
 * re-applies it as a no-op.
 */
export function buildChartRepositoryNamespace(
  chart: HubManifestInput["chart"],
): KubernetesManifest {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: chart.repositoryNamespace, labels: buildClusterLabels() },
  };
}

export function buildHelmRepository(chart: HubManifestInput["chart"]): KubernetesManifest {
  return {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "HelmRepository",
    metadata: {
      name: chart.repositoryName,
      namespace: chart.repositoryNamespace,
      labels: buildClusterLabels(),
    },
    spec: { url: chart.repositoryUrl, interval: "1h" },
  };
}

/**
 * What a suspended hub's release adds: Flux's post-renderer sets every Deployment the chart
 * renders (hub, proxy, user scheduler) to zero replicas. The chart has no value for it (its hub
 * and proxy are always one replica), and a scale call behind Helm's back would be undone by the
 * next upgrade; as part of the release it is the desired state, applied, exported to GitOps and
 * kept by Flux like the rest. Removing it (resume) scales them back as the chart says.
 */
export const SUSPENDED_RELEASE_POST_RENDERERS = [
  {
    kustomize: {
      patches: [
        {
          target: { kind: "Deployment" },
          // JSON 6902 "add" sets the field whether or not the chart rendered it.
          patch: "- op: add\n  path: /spec/replicas\n  value: 0\n",
        },
      ],
    },
  },
];

/**
 * The hub's Zero to JupyterHub release through Flux. The release is named
 * after the namespace: the chart names its cluster-scoped objects after the
 * release, so it must be unique in the cluster (REFERENCE §3). Failed
 * installs and upgrades are retried, then rolled back.
 */
export function buildHelmRelease(
  input: HubManifestInput,
  labels: Record<string, string>,
  values: Record<string, unknown>,
): KubernetesManifest {
  const releaseName = buildHubNamespaceName(input.hubSlug);
  return {
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: { name: releaseName, namespace: releaseName, labels },
    spec: {
      releaseName,
      interval: "10m",
      // Room for the hub's volume to be provisioned and its image pulled.
      timeout: "10m",
      chart: {
        spec: {
          chart: Z2JH_CHART_NAME,
          version: input.chart.version,
          sourceRef: {
            kind: "HelmRepository",
            name: input.chart.repositoryName,
            namespace: input.chart.repositoryNamespace,
          },
          interval: "1h",
        },
      },
      install: { remediation: { retries: 3 } },
      upgrade: { cleanupOnFail: true, remediation: { retries: 3, remediateLastFailure: true } },
      ...(input.isSuspended ? { postRenderers: SUSPENDED_RELEASE_POST_RENDERERS } : {}),
      values,
    },
  };
}
