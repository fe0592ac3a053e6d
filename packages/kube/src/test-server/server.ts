import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from "node:http";
import { Server as TlsServer, createServer as createTlsServer } from "node:https";
import { type AddressInfo, type Socket } from "node:net";
import { stringify as stringifyYaml } from "yaml";
import { readNumberAt, readStringAt, toJsonObject, toJsonValue, type JsonObject } from "../json";
import { HELM_RELEASE_TYPE, SimulatedController, buildReadyHelmReleaseStatus } from "./controller";
import {
  countWrites,
  createRequestCounters,
  type RequestCounters,
  type RequestLogEntry,
} from "./counters";
import { ResourceOperations, type ResourceAddress } from "./resource-operations";
import { NAMESPACE_TYPE, requireResourceTypeByKind } from "./resource-types";
import { createRequestHandler } from "./routes";
import { ObjectStore } from "./store";
import { WatchStreams } from "./watch";

export interface KubernetesTestServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Namespaces that exist from the start, as in a fresh cluster. */
  namespaces?: string[];
  controller?: { isEnabled?: boolean; delayMs?: number };
  /**
   * Serve HTTPS with this certificate and key (PEM), as a real API server does: clients then
   * need the CA, as a pod gets it in its service account's ca.crt.
   */
  tls?: { certificate: string; key: string };
  /**
   * Answer only requests that carry `Authorization: Bearer <token>` (a service account's
   * token); any other request gets the API server's 401 Status.
   */
  bearerToken?: string;
}

export interface ObjectReference {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface KubernetesTestServer {
  url: string;
  /** A kubeconfig (YAML) whose current context points at this server, without credentials. */
  kubeconfig: string;
  /** Live counters of successful requests by verb; see RequestCounters. */
  counters: Readonly<RequestCounters>;
  /** Live log of the most recent requests. */
  requests: readonly RequestLogEntry[];
  /**
   * Connections clients opened since the start (over TLS, completed handshakes): what tells a
   * client that reuses its connections from one that opens one per request.
   */
  countConnections(): number;
  /** Creates, replaces, patches that changed something, and deletes since the last reset. */
  countWrites(): number;
  resetCounters(): void;
  /** Seeds an object as a create would, without counting a request. */
  createObject(object: object): JsonObject;
  getObject(reference: ObjectReference): JsonObject | undefined;
  listObjects(reference: Omit<ObjectReference, "name">): JsonObject[];
  /** Sets .status as a controller would; bumps resourceVersion, notifies watches. */
  setStatus(reference: ObjectReference, status: object): JsonObject;
  /**
   * What a pod's container wrote, as the kubelet keeps it for GET pods/<name>/log
   * (`container` may be left out for a one-container pod).
   */
  setPodLog(pod: { namespace: string; name: string; container?: string }, text: string): void;
  /** Ready=True for the HelmRelease's current generation, as helm-controller reports it. */
  markHelmReleaseReady(namespace: string, name: string): JsonObject;
  setControllerEnabled(isEnabled: boolean): void;
  stop(): Promise<void>;
}

const seedManager = "kubernetes-test-server";

/**
 * Starts an in-memory Kubernetes API server over real HTTP, close enough to
 * the real one that @kubernetes/client-node, informers and kubectl-style
 * discovery work against it. See docs/kubernetes.md for what it leaves out.
 */
export async function startKubernetesTestServer(
  options: KubernetesTestServerOptions = {},
): Promise<KubernetesTestServer> {
  const host = options.host ?? "127.0.0.1";
  const store = new ObjectStore();
  const operations = new ResourceOperations(store);
  const watches = new WatchStreams(store);
  const counters = createRequestCounters();
  const requestLog: RequestLogEntry[] = [];
  const controller = new SimulatedController(store, operations, {
    isEnabled: options.controller?.isEnabled ?? false,
    delayMs: options.controller?.delayMs ?? 1500,
  });
  controller.start();
  for (const name of options.namespaces ?? ["default", "kube-system"]) {
    operations.create(NAMESPACE_TYPE, undefined, { metadata: { name } }, seedManager);
  }

  let url = "";
  const handle = createRequestHandler({
    operations,
    watches,
    counters,
    requestLog,
    serverAddress: () => url,
  });
  const { bearerToken } = options;
  const handleAuthenticated: RequestListener = bearerToken
    ? (request, response) => {
        if (isBearer(request, bearerToken)) {
          handle(request, response);
          return;
        }
        response.writeHead(401, { "content-type": "application/json" });
        response.end(JSON.stringify(unauthorizedStatus));
      }
    : handle;
  const server = options.tls
    ? createTlsServer({ cert: options.tls.certificate, key: options.tls.key }, handleAuthenticated)
    : createServer(handleAuthenticated);
  let connections = 0;
  server.on(options.tls ? "secureConnection" : "connection", () => {
    connections += 1;
  });
  closeIdleConnectionsLikeKubeApiserver(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `${options.tls ? "https" : "http"}://${formatHost(host)}:${port}`;

  const addressOf = (reference: ObjectReference): ResourceAddress => {
    const type = requireResourceTypeByKind(reference.apiVersion, reference.kind);
    return {
      type,
      namespace: type.isNamespaced ? reference.namespace : undefined,
      name: reference.name,
    };
  };

  return {
    url,
    kubeconfig: buildKubeconfig(url),
    counters,
    requests: requestLog,
    countConnections: () => connections,
    countWrites: () => countWrites(counters),
    resetCounters: () => {
      for (const verb of Object.keys(counters) as Array<keyof RequestCounters>) counters[verb] = 0;
      requestLog.length = 0;
    },
    createObject: (object) => {
      const json = toJsonObject(object);
      const type = requireResourceTypeByKind(
        readStringAt(json, ["apiVersion"]) ?? "",
        readStringAt(json, ["kind"]) ?? "",
      );
      const namespace = type.isNamespaced
        ? (readStringAt(json, ["metadata", "namespace"]) ?? "default")
        : undefined;
      return operations.create(type, namespace, json, seedManager);
    },
    getObject: (reference) => {
      const address = addressOf(reference);
      return store.read(address.type, address.namespace, address.name);
    },
    listObjects: (reference) => {
      const type = requireResourceTypeByKind(reference.apiVersion, reference.kind);
      return store.list(type, type.isNamespaced ? reference.namespace : undefined);
    },
    setStatus: (reference, status) =>
      operations.setStatus(addressOf(reference), toJsonValue(status)),
    setPodLog: ({ namespace, name, container }, text) =>
      operations.setLog(
        { type: requireResourceTypeByKind("v1", "Pod"), namespace, name },
        container,
        text,
      ),
    markHelmReleaseReady: (namespace, name) => {
      const address = { type: HELM_RELEASE_TYPE, namespace, name };
      const current = operations.get(address);
      const generation = readNumberAt(current, ["metadata", "generation"]) ?? 1;
      return operations.setStatus(address, buildReadyHelmReleaseStatus(current, generation));
    },
    setControllerEnabled: (isEnabled) => controller.setEnabled(isEnabled),
    stop: async () => {
      controller.stop();
      watches.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * How long kube-apiserver keeps a connection that carries no request (its Go http.Server's
 * IdleTimeout, 90 s); it announces no Keep-Alive timeout.
 */
export const IDLE_CONNECTION_TIMEOUT_MS = 90_000;

/**
 * Idle connections are closed as kube-apiserver closes them, not as Node's HTTP server does by
 * default. Node closes a kept-alive connection after 5 s without a request (6 s with its buffer)
 * and announces `Keep-Alive: timeout=5`, which undici turns into a 3 s idle timeout of its own:
 * only 2–3 s apart, so a client whose event loop stalls that long (a worker reconciling a fleet
 * on two busy cores) hands out a connection the server has just closed, and the request on it
 * fails with ECONNRESET. kube-apiserver announces nothing, so clients keep their own, shorter
 * idle timeouts (undici 4 s, client-go 90 s) and are the side that closes first. Here too:
 * no announced timeout (keepAliveTimeout 0), and a connection with no request in flight for
 * IDLE_CONNECTION_TIMEOUT_MS is ended.
 */
function closeIdleConnectionsLikeKubeApiserver(server: Server | TlsServer): void {
  server.keepAliveTimeout = 0;
  const inFlight = new WeakMap<Socket, number>();
  const idleTimers = new WeakMap<Socket, NodeJS.Timeout>();
  const armIdleTimer = (socket: Socket) => {
    clearTimeout(idleTimers.get(socket));
    if (socket.destroyed || (inFlight.get(socket) ?? 0) > 0) return;
    idleTimers.set(socket, setTimeout(() => socket.end(), IDLE_CONNECTION_TIMEOUT_MS).unref());
  };
  server.on(server instanceof TlsServer ? "secureConnection" : "connection", (socket: Socket) => {
    armIdleTimer(socket);
    socket.once("close", () => clearTimeout(idleTimers.get(socket)));
  });
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const { socket } = request;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    clearTimeout(idleTimers.get(socket));
    response.once("close", () => {
      inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1);
      armIdleTimer(socket);
    });
  });
}

const unauthorizedStatus = {
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message: "Unauthorized",
  reason: "Unauthorized",
  code: 401,
};

function isBearer(request: IncomingMessage, token: string): boolean {
  return request.headers.authorization === `Bearer ${token}`;
}

function formatHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

/** http:// servers need insecure-skip-tls-verify for @kubernetes/client-node to use a plain HTTP agent. */
export function buildKubeconfig(url: string, contextName = "hubfed-test"): string {
  return stringifyYaml({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: contextName,
        cluster: { server: url, "insecure-skip-tls-verify": url.startsWith("http:") },
      },
    ],
    users: [{ name: contextName, user: {} }],
    contexts: [
      {
        name: contextName,
        context: { cluster: contextName, user: contextName, namespace: "default" },
      },
    ],
    "current-context": contextName,
  });
}
