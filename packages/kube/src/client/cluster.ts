import http from "node:http";
import https from "node:https";
import { KubeConfig, KubernetesObjectApi, type RequestContext } from "@kubernetes/client-node";

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

/**
 * A KubeConfig whose requests reuse their connections. @kubernetes/client-node
 * builds a new agent for every request, so each call opened (and over HTTPS,
 * TLS-handshook) a connection of its own; a reconcile makes dozens per hub.
 * This keeps one keep-alive agent per API server and client identity, made
 * from the same TLS options the library chose. Proxied clusters keep the
 * library's proxy agents.
 */
class ConnectionReusingKubeConfig extends KubeConfig {
  private readonly agents = new Map<string, http.Agent>();

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const cluster = this.getCurrentCluster();
    const fresh = context.getAgent();
    if (!cluster || cluster.proxyUrl || !fresh) return;
    const isPlainHttp = !(fresh instanceof https.Agent);
    const key = `${cluster.server} ${this.getCurrentUser()?.name ?? ""}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = isPlainHttp
        ? new http.Agent({ keepAlive: true })
        : new https.Agent({ ...fresh.options, keepAlive: true });
      this.agents.set(key, agent);
    }
    context.setAgent(agent);
  }
}

export function loadKubeConfig(connection: ClusterConnection): KubeConfig {
  const kubeConfig = new ConnectionReusingKubeConfig();
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
