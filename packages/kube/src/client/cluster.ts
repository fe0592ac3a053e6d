import { KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";

/**
 * How the worker reaches a cluster, as region configs give it (exactly one
 * way per cluster). `apiServerUrl` carries no credentials: it is for API
 * endpoints that need none, such as `kubectl proxy` or the test server.
 */
export type ClusterConnection =
  { apiServerUrl: string } | { kubeconfigPath: string; context?: string } | { inCluster: true };

/** A connected cluster: the narrow handle every function of this adapter takes. */
export interface KubernetesCluster {
  name: string;
  kubeConfig: KubeConfig;
  objects: KubernetesObjectApi;
}

export function loadKubeConfig(connection: ClusterConnection): KubeConfig {
  const kubeConfig = new KubeConfig();
  if ("apiServerUrl" in connection) {
    kubeConfig.loadFromClusterAndUser(
      {
        name: "hubfed",
        server: connection.apiServerUrl,
        // The client only speaks plain HTTP with this flag set; https keeps verifying.
        skipTLSVerify: connection.apiServerUrl.startsWith("http:"),
      },
      { name: "hubfed" },
    );
  } else if ("kubeconfigPath" in connection) {
    kubeConfig.loadFromFile(connection.kubeconfigPath);
    if (connection.context !== undefined) kubeConfig.setCurrentContext(connection.context);
  } else {
    kubeConfig.loadFromCluster();
  }
  return kubeConfig;
}

export function connectToCluster(name: string, connection: ClusterConnection): KubernetesCluster {
  const kubeConfig = loadKubeConfig(connection);
  return { name, kubeConfig, objects: KubernetesObjectApi.makeApiClient(kubeConfig) };
}
