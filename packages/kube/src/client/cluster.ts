import { existsSync, readFileSync } from "node:fs";
import { isIPv6 } from "node:net";
import path from "node:path";
import {
  KubeConfig,
  KubernetesObjectApi,
  Observable,
  type ApiConstructor,
  type ApiType,
  type Configuration,
  type HttpLibrary,
  type RequestContext,
  type ResponseContext,
} from "@kubernetes/client-node";

/**
 * How the worker reaches a cluster, as region configs give it (exactly one
 * way per cluster). `apiServerUrl` carries no credentials: it is for API
 * endpoints that need none, such as `kubectl proxy` or the test server.
 */
export type ClusterConnection =
  { apiServerUrl: string } | { kubeconfigPath: string; context?: string } | InClusterConnection;

/** Where Kubernetes mounts a pod's service account: token, ca.crt and namespace. */
export const defaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * The worker's own service account, as Kubernetes hands it to a pod: the API server's address in
 * KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT, the token and the cluster's CA as files.
 */
export interface InClusterConnection {
  inCluster: true;
  /** KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT, which the kubelet sets in every container. */
  serviceHost?: string;
  servicePort?: string;
  /** Defaults to defaultServiceAccountDirectory; tests point it at files of their own. */
  serviceAccountDirectory?: string;
}

/** A connected cluster: the narrow handle every function of this adapter takes. */
export interface KubernetesCluster {
  name: string;
  kubeConfig: KubeConfig;
  objects: KubernetesObjectApi;
}

/** What @kubernetes/client-node 2 sends a request through: an undici Dispatcher. */
type Dispatcher = NonNullable<ReturnType<RequestContext["getDispatcher"]>>;

/**
 * A KubeConfig whose requests reuse their connections. @kubernetes/client-node 2 sends requests
 * with undici's fetch, and for a cluster with its own CA, a client certificate or a proxy it
 * builds a new undici Agent (a new connection pool) for every request, so each call opened and
 * TLS-handshook a connection of its own; a reconcile makes dozens per hub. This keeps the first
 * dispatcher the library built for a cluster and user and hands it to every later request, so
 * undici's pool keeps the connection alive between them. The TLS and proxy options stay the
 * library's own: they are in that dispatcher. Keyed as the library keys its own WebSocket agents
 * (cluster and user names), since those decide the options. A request the library leaves without
 * a dispatcher (plain HTTP, or HTTPS verified by Node's CAs) goes through undici's global one,
 * which already keeps connections alive.
 */
class ConnectionReusingKubeConfig extends KubeConfig {
  private readonly dispatchers = new Map<string, Dispatcher>();

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    if (!fresh) return;
    const key = JSON.stringify([this.getCurrentCluster()?.name, this.getCurrentUser()?.name]);
    const kept = this.dispatchers.get(key);
    if (kept) {
      // The library's new Agent has opened nothing yet; closing it just lets it go.
      void fresh.close();
      context.setDispatcher(kept);
    } else {
      this.dispatchers.set(key, fresh);
    }
  }

  /**
   * Every API client made from this config sends through ResetRetryingHttpLibrary. The client
   * class is subclassed only to swap the configuration's HTTP library before it is used: the
   * library builds the configuration (server, authentication, its User-Agent) itself.
   */
  override makeApiClient<T extends ApiType>(apiClientType: ApiConstructor<T>): T {
    const base = apiClientType as new (config: Configuration) => T;
    class Retrying extends (base as new (config: Configuration) => ApiType) {
      constructor(config: Configuration) {
        super({ ...config, httpApi: new ResetRetryingHttpLibrary(config.httpApi) });
      }
    }
    return super.makeApiClient(Retrying as unknown as ApiConstructor<T>);
  }
}

/** Error codes of a connection the other side closed or reset under a request. */
const connectionResetCodes = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);

/** Whether `error` (fetch's TypeError, or anything in its `cause` chain) is a reset connection. */
export function isConnectionReset(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === "string" && connectionResetCodes.has(code)) return true;
    current = cause;
  }
  return false;
}

/**
 * Requests that may be sent twice with the same effect as once: reads, and server-side applies
 * (the same applied configuration gives the same object, and a second apply of it is a no-op).
 * Creates, updates, deletes and JSON or merge patches are not: the first may have reached the
 * API server before the connection broke.
 */
function isRepeatable(request: RequestContext): boolean {
  const method = request.getHttpMethod().toString();
  if (method === "GET" || method === "HEAD") return true;
  const contentType = request.getHeaders()["Content-Type"] ?? request.getHeaders()["content-type"];
  return method === "PATCH" && contentType === "application/apply-patch+yaml";
}

/**
 * Sends a repeatable request a second time, once, when its connection was reset. A kept-alive
 * connection can be closed by the other side (the API server's idle timeout, a load balancer's)
 * at the moment the client's pool hands it out again, which no timeout setting rules out for a
 * client whose event loop can stall; the request then never reached a handler, and the pool
 * has dropped that connection, so the second attempt goes out on a fresh one. Any other
 * failure, or a second reset, is the caller's.
 */
class ResetRetryingHttpLibrary implements HttpLibrary {
  constructor(private readonly inner: HttpLibrary) {}

  send(request: RequestContext): Observable<ResponseContext> {
    return new Observable(this.sendRetryingOnce(request));
  }

  private async sendRetryingOnce(request: RequestContext): Promise<ResponseContext> {
    try {
      return await this.inner.send(request).toPromise();
    } catch (error) {
      if (!isConnectionReset(error) || !isRepeatable(request)) throw error;
      return await this.inner.send(request).toPromise();
    }
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
    loadInClusterCredentials(kubeConfig, connection);
  }
  return kubeConfig;
}

/**
 * Loads the pod's service account. The token is read through the client's token-file provider,
 * which reads the file again as it ages, so the short-lived projected tokens Kubernetes rotates
 * keep working; the CA file verifies the API server. A missing piece is named, so a chart
 * without `automountServiceAccountToken` or a worker outside a pod fails with the reason.
 */
function loadInClusterCredentials(kubeConfig: KubeConfig, connection: InClusterConnection): void {
  const directory = connection.serviceAccountDirectory ?? defaultServiceAccountDirectory;
  const { serviceHost: host, servicePort: port } = connection;
  if (!host || !port)
    throw new Error(
      "in-cluster credentials need KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT (set in every pod); is the worker running in the cluster?",
    );
  const tokenFile = path.join(directory, "token");
  const caFile = path.join(directory, "ca.crt");
  for (const file of [tokenFile, caFile])
    if (!existsSync(file))
      throw new Error(
        `in-cluster credentials need ${file}: mount the service account token (automountServiceAccountToken: true)`,
      );
  const namespaceFile = path.join(directory, "namespace");
  const namespace = existsSync(namespaceFile)
    ? readFileSync(namespaceFile, "utf8").trim()
    : undefined;
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: "in-cluster",
        server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
        caFile,
        skipTLSVerify: false,
      },
    ],
    users: [
      { name: "service-account", authProvider: { name: "tokenFile", config: { tokenFile } } },
    ],
    contexts: [{ name: "in-cluster", cluster: "in-cluster", user: "service-account", namespace }],
    currentContext: "in-cluster",
  });
}

export function connectToCluster(name: string, connection: ClusterConnection): KubernetesCluster {
  const kubeConfig = loadKubeConfig(connection);
  return { name, kubeConfig, objects: KubernetesObjectApi.makeApiClient(kubeConfig) };
}
