import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findFreePort } from "@hubfed/stack";
import { buildExampleHubManifestInput } from "../manifests/example-input";
import { buildHubObjects, describeManifest, validateBeforeApply } from "../manifests/hub-objects";
import { type HubManifestInput, type KubernetesManifest } from "../manifests/types";
import { startKubernetesTestServer, type KubernetesTestServer } from "../test-server/server";
import { KubernetesApplyError, applyObjects } from "./apply";
import { connectToCluster, type KubernetesCluster } from "./cluster";
import { fanOutToClusters } from "./fan-out";
import { readHelmReleaseReady } from "./helm-release";
import { deleteNamespace } from "./namespaces";

const clientSecret = "client-secret-value";
let server: KubernetesTestServer;
let cluster: KubernetesCluster;

beforeEach(async () => {
  server = await startKubernetesTestServer({ port: 0 });
  cluster = connectToCluster("test", { apiServerUrl: server.url });
});

afterEach(async () => {
  await server.stop();
});

function hubObjects(
  input: HubManifestInput = buildExampleHubManifestInput(),
): KubernetesManifest[] {
  return validateBeforeApply(buildHubObjects(input, { clientSecret }));
}

function withSpec(change: Partial<HubManifestInput["spec"]>): HubManifestInput {
  const input = buildExampleHubManifestInput();
  return { ...input, spec: { ...input.spec, ...change } };
}

describe("applyObjects", () => {
  it("creates every object of a hub", async () => {
    const objects = hubObjects();
    const progress: string[] = [];
    const applied = await applyObjects(cluster, objects, {
      onApplied: (result) => progress.push(result.object),
    });

    expect(applied.map((result) => result.outcome)).toEqual(objects.map(() => "created"));
    expect(progress).toEqual(objects.map(describeManifest));
    for (const object of objects) {
      const stored = server.getObject({
        apiVersion: object.apiVersion,
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
      });
      expect(stored, describeManifest(object)).toBeDefined();
      expect(stored?.metadata).toMatchObject({ labels: object.metadata.labels });
    }
    const release = server.getObject({
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      namespace: "hub-data-8",
      name: "hub-data-8",
    });
    expect(release?.spec).toEqual(objects.at(-1)?.spec);
  });

  it("makes no write when the hub is applied again unchanged", async () => {
    await applyObjects(cluster, hubObjects());
    server.resetCounters();

    const again = await applyObjects(cluster, hubObjects());

    expect(again.every((result) => result.outcome === "unchanged")).toBe(true);
    expect(server.countWrites()).toBe(0);
    expect(server.counters.patchNoop).toBe(again.length);
  });

  it("changes only the HelmRelease when the memory guarantee changes", async () => {
    await applyObjects(cluster, hubObjects());
    server.resetCounters();

    const applied = await applyObjects(cluster, hubObjects(withSpec({ memoryGuaranteeMib: 1536 })));

    const changed = applied
      .filter((result) => result.outcome !== "unchanged")
      .map((result) => result.object);
    expect(changed).toEqual(["helm.toolkit.fluxcd.io/v2 HelmRelease hub-data-8/hub-data-8"]);
    expect(server.countWrites()).toBe(1);
    const release = server.getObject({
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      namespace: "hub-data-8",
      name: "hub-data-8",
    });
    expect(release?.spec).toMatchObject({
      values: { singleuser: { memory: { guarantee: "1536M" } } },
    });
    expect(release?.metadata).toMatchObject({ generation: 2 });
  });

  it("takes back a field someone else changed", async () => {
    await applyObjects(cluster, hubObjects());
    await fetch(
      `${server.url}/api/v1/namespaces/hub-data-8/resourcequotas/hub-quota?fieldManager=someone`,
      {
        method: "PATCH",
        headers: { "Content-Type": "application/apply-patch+yaml" },
        body: JSON.stringify({
          apiVersion: "v1",
          kind: "ResourceQuota",
          metadata: { name: "hub-quota" },
          spec: { hard: { "limits.cpu": "1000" } },
        }),
      },
    ).then((response) => expect(response.status).toBe(409));

    await fetch(`${server.url}/api/v1/namespaces/hub-data-8/resourcequotas/hub-quota`, {
      method: "PATCH",
      headers: { "Content-Type": "application/merge-patch+json" },
      body: JSON.stringify({ spec: { hard: { "limits.cpu": "1000" } } }),
    });
    const applied = await applyObjects(cluster, hubObjects());
    expect(applied.find((result) => result.object.includes("ResourceQuota"))?.outcome).toBe(
      "configured",
    );
    const quota = server.getObject({
      apiVersion: "v1",
      kind: "ResourceQuota",
      namespace: "hub-data-8",
      name: "hub-quota",
    });
    expect(quota?.spec).toMatchObject({ hard: { "limits.cpu": "307200m" } });
  });

  it("stops at the first failing object and names it, not its content", async () => {
    const secret = hubObjects().find((object) => object.kind === "Secret") as KubernetesManifest;
    const failure = await applyObjects(cluster, [secret]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KubernetesApplyError);
    const applyError = failure as KubernetesApplyError;
    expect(applyError.object).toBe("v1 Secret hub-data-8/hubfed-oidc-client");
    expect(applyError.failure).toMatchObject({ kind: "api", statusCode: 404, reason: "NotFound" });
    expect(applyError.message).not.toContain(Buffer.from(clientSecret).toString("base64"));
    expect(applyError.appliedBeforeFailure).toEqual([]);
  });
});

describe("readHelmReleaseReady", () => {
  it("is ready only when Flux reported Ready for the current generation", async () => {
    expect(await readHelmReleaseReady(cluster, "hub-data-8", "hub-data-8")).toMatchObject({
      isFound: false,
      isReady: false,
    });
    await applyObjects(cluster, hubObjects());
    expect(await readHelmReleaseReady(cluster, "hub-data-8", "hub-data-8")).toMatchObject({
      isFound: true,
      isReady: false,
      readyStatus: null,
    });

    server.markHelmReleaseReady("hub-data-8", "hub-data-8");
    expect(await readHelmReleaseReady(cluster, "hub-data-8", "hub-data-8")).toMatchObject({
      isReady: true,
      readyStatus: "True",
      reason: "InstallSucceeded",
      generation: 1,
      observedGeneration: 1,
    });

    await applyObjects(cluster, hubObjects(withSpec({ memoryLimitMib: 4096 })));
    expect(await readHelmReleaseReady(cluster, "hub-data-8", "hub-data-8")).toMatchObject({
      isReady: false,
      readyStatus: "True",
      generation: 2,
      observedGeneration: 1,
    });
  });
});

describe("deleteNamespace", () => {
  it("deletes a hub's namespace with its objects, then reports it absent", async () => {
    await applyObjects(cluster, hubObjects());
    expect(await deleteNamespace(cluster, "hub-data-8")).toBe("deleted");
    expect(
      server.listObjects({ apiVersion: "v1", kind: "Secret", namespace: "hub-data-8" }),
    ).toEqual([]);
    expect(await deleteNamespace(cluster, "hub-data-8")).toBe("absent");
    // The chart source is shared by the cluster's hubs and stays.
    expect(
      server.getObject({
        apiVersion: "source.toolkit.fluxcd.io/v1",
        kind: "HelmRepository",
        namespace: "hubfed-system",
        name: "jupyterhub",
      }),
    ).toBeDefined();
  });
});

describe("connectToCluster", () => {
  it("reads a kubeconfig file", async () => {
    const directory = await mkdtemp(path.join(tmpdir(), "hubfed-kube-"));
    try {
      const kubeconfigPath = path.join(directory, "config");
      await writeFile(kubeconfigPath, server.kubeconfig);
      const fromFile = connectToCluster("from-file", { kubeconfigPath });
      const applied = await applyObjects(fromFile, hubObjects().slice(0, 1));
      expect(applied[0]?.outcome).toBe("created");
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe("fanOutToClusters", () => {
  let silentServer: Server | undefined;
  const silentSockets: Socket[] = [];

  afterEach(async () => {
    for (const socket of silentSockets.splice(0)) socket.destroy();
    await new Promise<void>((resolve) =>
      silentServer ? silentServer.close(() => resolve()) : resolve(),
    );
    silentServer = undefined;
  });

  it("returns each cluster's result or error without letting one bad cluster fail the rest", async () => {
    await applyObjects(cluster, hubObjects());
    // A port nothing listens on: connection refused. (Not a low one such as 1: fetch refuses the
    // ports its specification blocks before connecting, which is no network error.)
    const refusing = {
      name: "down",
      connection: { apiServerUrl: `http://127.0.0.1:${await findFreePort()}` },
    };
    // Accepts connections and never answers: only the timeout ends the call.
    silentServer = createServer((socket) => silentSockets.push(socket));
    await new Promise<void>((resolve) => silentServer?.listen(0, "127.0.0.1", resolve));
    const silentAddress = silentServer.address();
    const silentPort = typeof silentAddress === "object" && silentAddress ? silentAddress.port : 0;
    const silent = {
      name: "silent",
      connection: { apiServerUrl: `http://127.0.0.1:${silentPort}` },
    };
    const misconfigured = {
      name: "misconfigured",
      connection: { kubeconfigPath: "/nonexistent/kubeconfig" },
    };

    const { results, errors } = await fanOutToClusters(
      [cluster, refusing, silent, misconfigured],
      (target) => readHelmReleaseReady(target, "hub-data-8", "hub-data-8"),
      { timeoutMs: 500 },
    );

    expect(results).toEqual([
      { cluster: "test", value: expect.objectContaining({ isFound: true }) as unknown },
    ]);
    expect(errors.map(({ cluster: name, error }) => [name, error.kind])).toEqual([
      ["down", "unreachable"],
      ["silent", "timeout"],
      ["misconfigured", "unknown"],
    ]);
  });
});
