import {
  createConnection,
  createServer,
  type AddressInfo,
  type Server,
  type Socket,
} from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startKubernetesTestServer, type KubernetesTestServer } from "../test-server/server";
import { applyObjects } from "./apply";
import { connectToCluster, isConnectionReset, type KubernetesCluster } from "./cluster";

/**
 * A TCP proxy in front of the test server that, when armed, resets the next connection the
 * client reuses, the moment the next request arrives on it: what the client sees when the
 * server (or a load balancer) closed an idle kept-alive connection just as the client's pool
 * handed it out again. Requests on fresh connections pass.
 */
interface ResettingProxy {
  url: string;
  /** Reset the next request that arrives on an already used connection. */
  armReset(): void;
  resets: number;
  connections: number;
  stop(): Promise<void>;
}

async function startResettingProxy(upstreamUrl: string): Promise<ResettingProxy> {
  const upstream = new URL(upstreamUrl);
  let isArmed = false;
  const proxy: ResettingProxy = {
    url: "",
    armReset: () => {
      isArmed = true;
    },
    resets: 0,
    connections: 0,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    proxy.connections += 1;
    sockets.add(client);
    client.once("close", () => sockets.delete(client));
    let hasAnswered = false;
    const target = createConnection({ host: upstream.hostname, port: Number(upstream.port) });
    target.on("data", (chunk) => {
      hasAnswered = true;
      client.write(chunk);
    });
    client.on("data", (chunk) => {
      if (isArmed && hasAnswered) {
        isArmed = false;
        proxy.resets += 1;
        target.destroy();
        client.resetAndDestroy();
        return;
      }
      target.write(chunk);
    });
    client.on("error", () => target.destroy());
    target.on("error", () => client.destroy());
    client.on("close", () => target.destroy());
    target.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

const namespace = {
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name: "hub-reset", labels: { "app.kubernetes.io/managed-by": "hubfed" } },
};

let server: KubernetesTestServer;
let proxy: ResettingProxy;
let cluster: KubernetesCluster;

beforeEach(async () => {
  server = await startKubernetesTestServer({ port: 0 });
  proxy = await startResettingProxy(server.url);
  cluster = connectToCluster("test", { apiServerUrl: proxy.url });
});

afterEach(async () => {
  await proxy.stop();
  await server.stop();
});

describe("a kept-alive connection reset under a request", () => {
  it("sends a server-side apply again, once, on a fresh connection", async () => {
    await applyObjects(cluster, [namespace]);
    const connectionsBefore = proxy.connections;

    proxy.armReset();
    const [applied] = await applyObjects(cluster, [namespace]);

    expect(proxy.resets).toBe(1);
    expect(proxy.connections).toBeGreaterThan(connectionsBefore);
    expect(applied?.outcome).toBe("unchanged");
  });

  it("sends a read again, once, on a fresh connection", async () => {
    await applyObjects(cluster, [namespace]);
    proxy.armReset();

    const read = await cluster.objects.read({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "hub-reset" },
    });

    expect(proxy.resets).toBe(1);
    expect(read.metadata?.name).toBe("hub-reset");
  });

  it("does not send a create again: it may have reached the API server", async () => {
    await applyObjects(cluster, [namespace]);
    proxy.armReset();

    const failure = await cluster.objects
      .create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "once", namespace: "hub-reset" },
        data: {},
      } as never)
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(isConnectionReset(failure)).toBe(true);
    expect(
      server.getObject({
        apiVersion: "v1",
        kind: "ConfigMap",
        namespace: "hub-reset",
        name: "once",
      }),
    ).toBeUndefined();
  });
});
