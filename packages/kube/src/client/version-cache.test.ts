import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startKubernetesTestServer, type KubernetesTestServer } from "../test-server/server";
import { applyObjects } from "./apply";
import { connectToCluster, type KubernetesCluster } from "./cluster";
import { createResourceVersionCache, type ResourceVersionCache } from "./version-cache";

const labels = { "app.kubernetes.io/managed-by": "hubfed" };
const configMap = (data: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "settings", namespace: "default", labels },
  data,
});
const reference = { apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "settings" };

let server: KubernetesTestServer;
let cluster: KubernetesCluster;
let cache: ResourceVersionCache;

beforeEach(async () => {
  server = await startKubernetesTestServer({ port: 0 });
  cluster = connectToCluster("test", { apiServerUrl: server.url });
  cache = createResourceVersionCache(cluster);
});

afterEach(async () => {
  cache.stop();
  await server.stop();
});

describe("createResourceVersionCache", () => {
  it("knows nothing until its kind is listed, then follows every write and delete", async () => {
    const [created] = await applyObjects(cluster, [configMap({ a: "1" })]);
    expect(cache.versionOf(reference)).toBeNull();
    await cache.whenSynced();
    expect(cache.versionOf(reference)).toBe(created?.resourceVersion);

    // Someone else's write moves the version: the cache no longer vouches for the old one.
    const [changed] = await applyObjects(cluster, [configMap({ a: "2" })], {
      fieldManager: "someone",
    });
    await vi.waitFor(() => expect(cache.versionOf(reference)).toBe(changed?.resourceVersion));
    expect(changed?.resourceVersion).not.toBe(created?.resourceVersion);

    await cluster.objects.delete({ apiVersion: "v1", kind: "ConfigMap", metadata: reference });
    await vi.waitFor(() => expect(cache.versionOf(reference)).toBeUndefined());
  });

  it("leaves out objects hubfed does not manage", async () => {
    await applyObjects(cluster, [{ ...configMap({}), metadata: { ...reference } }]);
    cache.versionOf(reference);
    await cache.whenSynced();
    expect(cache.versionOf(reference)).toBeUndefined();
  });
});
