import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSelfSignedCertificate, type SelfSignedCertificate } from "@hubfed/stack";
import { buildExampleHubManifestInput } from "../manifests/example-input";
import { buildHubObjects, validateBeforeApply } from "../manifests/hub-objects";
import { startKubernetesTestServer, type KubernetesTestServer } from "../test-server/server";
import { applyObjects } from "./apply";
import { KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import { connectToCluster, type KubernetesCluster } from "./cluster";

// The worker in a pod reaches its own cluster with the service account Kubernetes mounts:
// KUBERNETES_SERVICE_HOST/PORT, a bearer token file and the cluster CA. The API test server here
// speaks HTTPS with a certificate only that CA verifies and answers only that token, as a real
// API server does.
const token = "service-account-token-of-the-worker";
let directory: string;
let serviceAccountDirectory: string;
let certificate: SelfSignedCertificate;
let server: KubernetesTestServer;
let service: { serviceHost: string; servicePort: string };

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "hubfed-in-cluster-"));
  certificate = await createSelfSignedCertificate(directory);
  serviceAccountDirectory = path.join(directory, "serviceaccount");
  await mkdir(serviceAccountDirectory);
  // As the kubelet projects them: no trailing newline on the token.
  await writeFile(path.join(serviceAccountDirectory, "token"), token);
  await writeFile(path.join(serviceAccountDirectory, "ca.crt"), certificate.certificate);
  await writeFile(path.join(serviceAccountDirectory, "namespace"), "hubfed");
  server = await startKubernetesTestServer({
    tls: { certificate: certificate.certificate, key: certificate.key },
    bearerToken: token,
  });
  const { port } = new URL(server.url);
  service = { serviceHost: "127.0.0.1", servicePort: port };
});

afterAll(async () => {
  await server?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

function messagesOf(error: unknown): string[] {
  const messages: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause)
    messages.push(current.message);
  return messages;
}

describe("in-cluster credentials", () => {
  it("reach the API server over HTTPS with the service account's token and CA, and apply a hub", async () => {
    expect(server.url).toMatch(/^https:\/\//);
    const cluster = connectToCluster("own-cluster", {
      inCluster: true,
      serviceAccountDirectory,
      ...service,
    });
    expect(cluster.kubeConfig.getCurrentCluster()?.server).toBe(server.url);
    expect(cluster.kubeConfig.getContextObject("in-cluster")?.namespace).toBe("hubfed");

    const objects = validateBeforeApply(
      buildHubObjects(buildExampleHubManifestInput(), { clientSecret: "client-secret-value" }),
    );
    const applied = await applyObjects(cluster, objects);
    expect(applied.map((result) => result.outcome)).toEqual(objects.map(() => "created"));
    const namespace = objects.find((object) => object.kind === "Namespace")?.metadata.name;
    expect(
      server
        .listObjects({ apiVersion: "v1", kind: "Namespace" })
        .map((object) => (object.metadata as { name: string }).name),
    ).toContain(namespace);
    // Every request carried the token: the server answers nothing else.
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it("reuse one kept-alive connection across requests (the library alone opens one per request)", async () => {
    const connectionsOver = async (objects: KubernetesCluster["objects"]) => {
      const before = server.countConnections();
      // One after another, as a reconcile's reads go: each could reuse the one before's connection.
      for (let request = 0; request < 10; request += 1) await objects.list("v1", "Namespace");
      return server.countConnections() - before;
    };
    const cluster = connectToCluster("own-cluster", {
      inCluster: true,
      serviceAccountDirectory,
      ...service,
    });
    // undici may open a second connection when a request follows the last one's response at
    // once, before that connection is back in its pool; after that, the two are reused.
    expect(await connectionsOver(cluster.objects)).toBeLessThanOrEqual(2);

    // The same credentials in the library's own KubeConfig: a new undici Agent, so a new TLS
    // connection, for each request. This is what the test above tells apart.
    const plain = new KubeConfig();
    plain.loadFromOptions({
      clusters: cluster.kubeConfig.getClusters(),
      users: cluster.kubeConfig.getUsers(),
      contexts: cluster.kubeConfig.getContexts(),
      currentContext: cluster.kubeConfig.getCurrentContext(),
    });
    // (One more for its first discovery request.)
    expect(await connectionsOver(KubernetesObjectApi.makeApiClient(plain))).toBeGreaterThanOrEqual(
      10,
    );
  });

  it("are refused by an API server that expects another token", async () => {
    const other = await startKubernetesTestServer({
      tls: { certificate: certificate.certificate, key: certificate.key },
      bearerToken: "a-token-of-another-account",
    });
    try {
      const cluster = connectToCluster("own-cluster", {
        inCluster: true,
        serviceAccountDirectory,
        ...service,
        servicePort: new URL(other.url).port,
      });
      await expect(cluster.objects.list("v1", "Namespace")).rejects.toMatchObject({ code: 401 });
    } finally {
      await other.stop();
    }
  });

  it("do not trust an API server whose certificate the CA did not sign", async () => {
    const stranger = await createSelfSignedCertificate(await mkdtemp(path.join(directory, "x-")));
    const impostor = await startKubernetesTestServer({
      tls: { certificate: stranger.certificate, key: stranger.key },
    });
    try {
      const cluster = connectToCluster("own-cluster", {
        inCluster: true,
        serviceAccountDirectory,
        ...service,
        servicePort: new URL(impostor.url).port,
      });
      // undici's fetch fails with "fetch failed"; the TLS error is its cause.
      const failure: unknown = await cluster.objects
        .list("v1", "Namespace")
        .catch((error: unknown) => error);
      expect(messagesOf(failure).join(" / ")).toMatch(/self[- ]signed|certificate/i);
      expect(impostor.requests).toHaveLength(0);
    } finally {
      await impostor.stop();
    }
  });

  it("name what is missing outside a pod", () => {
    expect(() =>
      connectToCluster("own-cluster", {
        inCluster: true,
        serviceAccountDirectory,
      }),
    ).toThrow("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT");
    expect(() =>
      connectToCluster("own-cluster", {
        inCluster: true,
        serviceAccountDirectory: path.join(directory, "nowhere"),
        ...service,
      }),
    ).toThrow(`${path.join(directory, "nowhere", "token")}: mount the service account token`);
  });
});
