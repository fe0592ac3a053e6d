import {
  ApiException,
  ApisApi,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type KubernetesObject,
  type V1ConfigMap,
} from "@kubernetes/client-node";
import { createConnection, type Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startKubernetesTestServer, type KubernetesTestServer } from "./server";

let server: KubernetesTestServer;
let kubeConfig: KubeConfig;

beforeEach(async () => {
  server = await startKubernetesTestServer({ port: 0 });
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(server.kubeconfig);
});

afterEach(async () => {
  await server.stop();
});

function coreApi() {
  return kubeConfig.makeApiClient(CoreV1Api);
}

function objectApi() {
  return KubernetesObjectApi.makeApiClient(kubeConfig);
}

async function createNamespace(name: string) {
  await coreApi().createNamespace({ body: { metadata: { name } } });
}

/** The Status object a failed call carried, as a client sees it. */
async function captureStatus(
  call: Promise<unknown>,
): Promise<{ code: number; reason: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiException) {
      const status = JSON.parse(String(error.body)) as {
        code: number;
        reason: string;
        message: string;
      };
      return { code: status.code, reason: status.reason, message: status.message };
    }
    throw error;
  }
  throw new Error("expected the call to fail");
}

function configMap(
  name: string,
  labels: Record<string, string>,
  data: Record<string, string> = {},
): V1ConfigMap {
  return { metadata: { name, labels }, data };
}

describe("discovery", () => {
  it("lists groups and resources with namespaced flags, verbs and subresources", async () => {
    const groups = await kubeConfig.makeApiClient(ApisApi).getAPIVersions();
    const groupNames = groups.groups.map((group) => group.name);
    expect(groupNames).toEqual(
      expect.arrayContaining([
        "apps",
        "batch",
        "networking.k8s.io",
        "helm.toolkit.fluxcd.io",
        "source.toolkit.fluxcd.io",
      ]),
    );

    const core = await coreApi().getAPIResources();
    const namespaces = core.resources.find((resource) => resource.name === "namespaces");
    const secrets = core.resources.find((resource) => resource.name === "secrets");
    expect(namespaces?.namespaced).toBe(false);
    expect(secrets?.namespaced).toBe(true);
    expect(secrets?.verbs).toEqual(
      expect.arrayContaining(["get", "list", "watch", "create", "update", "patch", "delete"]),
    );

    const apps = await kubeConfig.makeApiClient(AppsV1Api).getAPIResources();
    const names = apps.resources.map((resource) => resource.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "deployments",
        "deployments/status",
        "deployments/scale",
        "statefulsets/scale",
      ]),
    );
    const scale = apps.resources.find((resource) => resource.name === "deployments/scale");
    expect(scale).toMatchObject({ group: "autoscaling", version: "v1", kind: "Scale" });
  });

  it("lets the generic object client resolve custom kinds such as HelmRelease", async () => {
    await createNamespace("hub-demo");
    const created = await objectApi().create({
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      metadata: { name: "hub-demo", namespace: "hub-demo" },
      spec: { interval: "10m" },
    } as KubernetesObject);
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.generation).toBe(1);
  });
});

describe("objects", () => {
  it("creates, reads and lists with every label selector operator", async () => {
    await createNamespace("course");
    const api = coreApi();
    await api.createNamespacedConfigMap({
      namespace: "course",
      body: configMap("a", { tier: "web", track: "stable" }),
    });
    await api.createNamespacedConfigMap({
      namespace: "course",
      body: configMap("b", { tier: "db" }),
    });
    await api.createNamespacedConfigMap({
      namespace: "course",
      body: configMap("c", { tier: "cache", track: "canary" }),
    });

    const read = await api.readNamespacedConfigMap({ name: "a", namespace: "course" });
    expect(read.metadata?.uid).toMatch(/[0-9a-f-]{36}/);
    expect(read.metadata?.creationTimestamp).toBeInstanceOf(Date);

    const namesFor = async (labelSelector: string) =>
      (await api.listNamespacedConfigMap({ namespace: "course", labelSelector })).items.map(
        (item) => item.metadata?.name,
      );
    expect(await namesFor("tier=web")).toEqual(["a"]);
    expect(await namesFor("tier==db")).toEqual(["b"]);
    expect(await namesFor("tier!=web")).toEqual(["b", "c"]);
    expect(await namesFor("tier in (web, cache)")).toEqual(["a", "c"]);
    expect(await namesFor("tier notin (web,cache)")).toEqual(["b"]);
    expect(await namesFor("track")).toEqual(["a", "c"]);
    expect(await namesFor("!track")).toEqual(["b"]);
    expect(await namesFor("track,tier=cache")).toEqual(["c"]);
    const everywhere = await api.listConfigMapForAllNamespaces({ labelSelector: "tier" });
    expect(everywhere.items).toHaveLength(3);
  });

  it("keeps one resourceVersion sequence across kinds", async () => {
    await createNamespace("course");
    const first = await coreApi().createNamespacedConfigMap({
      namespace: "course",
      body: configMap("a", {}),
    });
    const second = await coreApi().createNamespacedSecret({
      namespace: "course",
      body: { metadata: { name: "s" } },
    });
    expect(Number(second.metadata?.resourceVersion)).toBeGreaterThan(
      Number(first.metadata?.resourceVersion),
    );
  });

  it("answers NotFound and AlreadyExists as Status objects", async () => {
    await createNamespace("course");
    const api = coreApi();
    expect(
      await captureStatus(api.readNamespacedConfigMap({ name: "missing", namespace: "course" })),
    ).toEqual({
      code: 404,
      reason: "NotFound",
      message: 'configmaps "missing" not found',
    });
    await api.createNamespacedConfigMap({ namespace: "course", body: configMap("a", {}) });
    expect(
      await captureStatus(
        api.createNamespacedConfigMap({ namespace: "course", body: configMap("a", {}) }),
      ),
    ).toEqual({
      code: 409,
      reason: "AlreadyExists",
      message: 'configmaps "a" already exists',
    });
  });

  it("requires the namespace of a namespaced object to exist", async () => {
    const status = await captureStatus(
      coreApi().createNamespacedConfigMap({ namespace: "nowhere", body: configMap("a", {}) }),
    );
    expect(status).toMatchObject({
      code: 404,
      reason: "NotFound",
      message: 'namespaces "nowhere" not found',
    });
  });

  it("rejects a replace with a stale resourceVersion", async () => {
    await createNamespace("course");
    const api = coreApi();
    const created = await api.createNamespacedConfigMap({
      namespace: "course",
      body: configMap("a", {}, { k: "1" }),
    });
    await api.replaceNamespacedConfigMap({
      name: "a",
      namespace: "course",
      body: { ...created, data: { k: "2" } },
    });
    const status = await captureStatus(
      api.replaceNamespacedConfigMap({
        name: "a",
        namespace: "course",
        body: { ...created, data: { k: "3" } },
      }),
    );
    expect(status.code).toBe(409);
    expect(status.reason).toBe("Conflict");
    expect(status.message).toContain("the object has been modified");
  });

  it("merges a JSON merge patch and bumps generation only on a spec change", async () => {
    await createNamespace("course");
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: "course", body: deployment("grader", 1) });
    const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
    const relabelled = await apps.patchNamespacedDeployment(
      { name: "grader", namespace: "course", body: { metadata: { labels: { team: "a" } } } },
      mergePatch,
    );
    expect(relabelled.metadata?.generation).toBe(1);
    const resized = await apps.patchNamespacedDeployment(
      { name: "grader", namespace: "course", body: { spec: { replicas: 3 } } },
      mergePatch,
    );
    expect(resized.metadata?.generation).toBe(2);
    expect(resized.metadata?.labels).toEqual({ app: "grader", team: "a" });
  });

  it("deletes a namespace with everything in it", async () => {
    await createNamespace("course");
    await coreApi().createNamespacedConfigMap({ namespace: "course", body: configMap("a", {}) });
    await coreApi().deleteNamespace({ name: "course" });
    expect(
      server.listObjects({ apiVersion: "v1", kind: "ConfigMap", namespace: "course" }),
    ).toEqual([]);
    expect((await captureStatus(coreApi().readNamespace({ name: "course" }))).code).toBe(404);
  });
});

function deployment(name: string, replicas: number) {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image: "busybox:1.36" }] },
      },
    },
  };
}

describe("subresources", () => {
  it("writes .status through /status and nothing else", async () => {
    await createNamespace("course");
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const created = await apps.createNamespacedDeployment({
      namespace: "course",
      body: deployment("hub", 1),
    });
    const updated = await apps.replaceNamespacedDeploymentStatus({
      name: "hub",
      namespace: "course",
      body: {
        ...created,
        spec: { ...created.spec!, replicas: 5 },
        status: { readyReplicas: 1, replicas: 1 },
      },
    });
    expect(updated.status?.readyReplicas).toBe(1);
    expect(updated.spec?.replicas).toBe(1);
    expect(updated.metadata?.generation).toBe(1);

    const patched = await apps.patchNamespacedDeploymentStatus(
      { name: "hub", namespace: "course", body: { status: { availableReplicas: 1 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(patched.status).toMatchObject({ readyReplicas: 1, availableReplicas: 1 });

    // Writes to the main resource leave status alone.
    const replaced = await apps.replaceNamespacedDeployment({
      name: "hub",
      namespace: "course",
      body: { ...patched, status: { readyReplicas: 99 } },
    });
    expect(replaced.status?.readyReplicas).toBe(1);
  });

  it("reads and writes replicas through /scale for deployments and statefulsets", async () => {
    await createNamespace("course");
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: "course", body: deployment("hub", 2) });
    const scale = await apps.readNamespacedDeploymentScale({ name: "hub", namespace: "course" });
    expect(scale.spec?.replicas).toBe(2);
    expect(scale.status?.selector).toBe("app=hub");

    const rescaled = await apps.replaceNamespacedDeploymentScale({
      name: "hub",
      namespace: "course",
      body: { metadata: { name: "hub", namespace: "course" }, spec: { replicas: 4 } },
    });
    expect(rescaled.spec?.replicas).toBe(4);
    const afterScale = await apps.readNamespacedDeployment({ name: "hub", namespace: "course" });
    expect(afterScale.spec?.replicas).toBe(4);
    expect(afterScale.metadata?.generation).toBe(2);

    await apps.createNamespacedStatefulSet({
      namespace: "course",
      body: {
        ...deployment("user-placeholder", 0),
        spec: { ...deployment("user-placeholder", 0).spec, serviceName: "" },
      },
    });
    await apps.patchNamespacedStatefulSetScale(
      { name: "user-placeholder", namespace: "course", body: { spec: { replicas: 12 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    const placeholders = await apps.readNamespacedStatefulSetScale({
      name: "user-placeholder",
      namespace: "course",
    });
    expect(placeholders.spec?.replicas).toBe(12);
  });
});

describe("watch", () => {
  it("streams ADDED, MODIFIED and DELETED, honouring selectors and resourceVersion", async () => {
    await createNamespace("course");
    const api = coreApi();
    const events: string[] = [];
    let isDone = false;
    const watch = new Watch(kubeConfig);
    const controller = await watch.watch(
      "/api/v1/namespaces/course/configmaps",
      { labelSelector: "watched=yes" },
      (type, object: V1ConfigMap) => events.push(`${type} ${object.metadata?.name ?? ""}`),
      () => {
        isDone = true;
      },
    );
    await api.createNamespacedConfigMap({
      namespace: "course",
      body: configMap("seen", { watched: "yes" }),
    });
    await api.createNamespacedConfigMap({
      namespace: "course",
      body: configMap("ignored", { watched: "no" }),
    });
    await api.patchNamespacedConfigMap(
      { name: "seen", namespace: "course", body: { data: { k: "v" } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await api.deleteNamespacedConfigMap({ name: "seen", namespace: "course" });
    await expect.poll(() => events).toEqual(["ADDED seen", "MODIFIED seen", "DELETED seen"]);
    controller.abort();
    await expect.poll(() => isDone).toBe(true);
  });

  it("replays only what happened after the given resourceVersion", async () => {
    await createNamespace("course");
    const api = coreApi();
    await api.createNamespacedConfigMap({ namespace: "course", body: configMap("before", {}) });
    const list = await api.listNamespacedConfigMap({ namespace: "course" });
    await api.createNamespacedConfigMap({ namespace: "course", body: configMap("after", {}) });
    const events: string[] = [];
    await new Watch(kubeConfig).watch(
      "/api/v1/namespaces/course/configmaps",
      { resourceVersion: list.metadata?.resourceVersion },
      (type, object: V1ConfigMap) => events.push(`${type} ${object.metadata?.name ?? ""}`),
      () => undefined,
    );
    await expect.poll(() => events).toEqual(["ADDED after"]);
  });

  it("ends open watches cleanly when the server stops", async () => {
    let doneError: unknown = "not called";
    await new Watch(kubeConfig).watch(
      "/api/v1/namespaces",
      {},
      () => undefined,
      (error) => {
        doneError = error;
      },
    );
    await server.stop();
    await expect.poll(() => doneError).toBeNull();
    server = await startKubernetesTestServer({ port: 0 });
  });
});

describe("server-side apply", () => {
  const applyPatch = PatchStrategy.ServerSideApply;

  function labelledConfigMap(
    labels: Record<string, string>,
    data: Record<string, string>,
  ): KubernetesObject {
    return {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "course", labels },
      data,
    } as KubernetesObject;
  }

  it("creates when absent and writes nothing when re-applied unchanged", async () => {
    await createNamespace("course");
    const api = objectApi();
    const desired = labelledConfigMap({ app: "hub" }, { culling: "on" });
    const created = await api.patch(desired, undefined, undefined, "hubfed", true, applyPatch);
    expect(created.metadata?.managedFields?.[0]).toMatchObject({
      manager: "hubfed",
      operation: "Apply",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:data": { "f:culling": {} }, "f:metadata": { "f:labels": { "f:app": {} } } },
    });

    server.resetCounters();
    const again = await api.patch(desired, undefined, undefined, "hubfed", true, applyPatch);
    expect(again.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    expect(server.countWrites()).toBe(0);
    expect(server.counters.patchNoop).toBe(1);
  });

  it("accepts a YAML body", async () => {
    await createNamespace("course");
    const response = await fetch(
      `${server.url}/api/v1/namespaces/course/configmaps/settings?fieldManager=hubfed`,
      {
        method: "PATCH",
        headers: { "Content-Type": "application/apply-patch+yaml" },
        body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  culling: 'on'\n",
      },
    );
    expect(response.status).toBe(201);
    expect(
      server.getObject({
        apiVersion: "v1",
        kind: "ConfigMap",
        namespace: "course",
        name: "settings",
      })?.data,
    ).toEqual({
      culling: "on",
    });
  });

  it("requires a field manager", async () => {
    await createNamespace("course");
    const status = await captureStatus(
      objectApi().patch(
        labelledConfigMap({}, { a: "b" }),
        undefined,
        undefined,
        undefined,
        undefined,
        applyPatch,
      ),
    );
    expect(status.code).toBe(422);
    expect(status.message).toContain("fieldManager");
  });

  it("reports a conflict with another manager and takes ownership when forced", async () => {
    await createNamespace("course");
    const api = objectApi();
    await api.patch(
      labelledConfigMap({}, { limit: "1G" }),
      undefined,
      undefined,
      "hubfed",
      false,
      applyPatch,
    );
    const status = await captureStatus(
      api.patch(
        labelledConfigMap({}, { limit: "2G" }),
        undefined,
        undefined,
        "operator",
        false,
        applyPatch,
      ),
    );
    expect(status.code).toBe(409);
    expect(status.reason).toBe("Conflict");
    expect(status.message).toContain('conflict with "hubfed": .data.limit');

    const forced = await api.patch(
      labelledConfigMap({}, { limit: "2G" }),
      undefined,
      undefined,
      "operator",
      true,
      applyPatch,
    );
    expect((forced as V1ConfigMap).data).toEqual({ limit: "2G" });
    // The empty labels map both applied stays shared; the conflicting field moved.
    const fieldsByManager = Object.fromEntries(
      (forced.metadata?.managedFields ?? []).map((entry): [string, unknown] => [
        entry.manager ?? "",
        entry.fieldsV1,
      ]),
    );
    expect(fieldsByManager).toEqual({
      hubfed: { "f:metadata": { "f:labels": {} } },
      operator: { "f:metadata": { "f:labels": {} }, "f:data": { "f:limit": {} } },
    });
  });

  it("shares a field applied with the same value and keeps it while anyone applies it", async () => {
    await createNamespace("course");
    const api = objectApi();
    await api.patch(
      labelledConfigMap({}, { shared: "x", mine: "y" }),
      undefined,
      undefined,
      "hubfed",
      false,
      applyPatch,
    );
    await api.patch(
      labelledConfigMap({}, { shared: "x" }),
      undefined,
      undefined,
      "operator",
      false,
      applyPatch,
    );
    const after = await api.patch(
      labelledConfigMap({}, {}),
      undefined,
      undefined,
      "hubfed",
      false,
      applyPatch,
    );
    expect((after as V1ConfigMap).data).toEqual({ shared: "x" });
  });

  it("removes a field the manager stops applying", async () => {
    await createNamespace("course");
    const api = objectApi();
    await api.patch(
      labelledConfigMap({ app: "hub", old: "label" }, { a: "1", b: "2" }),
      undefined,
      undefined,
      "hubfed",
      true,
      applyPatch,
    );
    const trimmed = await api.patch(
      labelledConfigMap({ app: "hub" }, { a: "1" }),
      undefined,
      undefined,
      "hubfed",
      true,
      applyPatch,
    );
    expect(trimmed.metadata?.labels).toEqual({ app: "hub" });
    expect((trimmed as V1ConfigMap).data).toEqual({ a: "1" });
  });

  it("ignores status in applied configurations and keeps generation on no-op applies", async () => {
    await createNamespace("course");
    const api = objectApi();
    const release = {
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      metadata: { name: "hub-demo", namespace: "course" },
      spec: { interval: "10m", values: { singleuser: { memory: { guarantee: "1G" } } } },
    } as KubernetesObject;
    await api.patch(release, undefined, undefined, "hubfed", true, applyPatch);
    const ready = server.markHelmReleaseReady("course", "hub-demo");
    const again = await api.patch(release, undefined, undefined, "hubfed", true, applyPatch);
    expect(again.metadata?.resourceVersion).toBe(
      (ready.metadata as { resourceVersion: string }).resourceVersion,
    );
    expect(again.metadata?.generation).toBe(1);
  });
});

describe("simulated controller", () => {
  it("marks HelmReleases Ready and Deployments available after they are applied", async () => {
    await server.stop();
    server = await startKubernetesTestServer({
      port: 0,
      controller: { isEnabled: true, delayMs: 20 },
    });
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(server.kubeconfig);
    await createNamespace("course");
    await objectApi().patch(
      {
        apiVersion: "helm.toolkit.fluxcd.io/v2",
        kind: "HelmRelease",
        metadata: { name: "hub-demo", namespace: "course" },
        spec: { interval: "10m" },
      } as KubernetesObject,
      undefined,
      undefined,
      "hubfed",
      true,
      PatchStrategy.ServerSideApply,
    );
    await kubeConfig
      .makeApiClient(AppsV1Api)
      .createNamespacedDeployment({ namespace: "course", body: deployment("grader", 2) });
    const readyCondition = () =>
      (
        server.getObject({
          apiVersion: "helm.toolkit.fluxcd.io/v2",
          kind: "HelmRelease",
          namespace: "course",
          name: "hub-demo",
        })?.status as { conditions?: Array<{ type: string; status: string }> } | undefined
      )?.conditions?.find((condition) => condition.type === "Ready")?.status;
    await expect.poll(readyCondition).toBe("True");
    await expect
      .poll(
        () =>
          (
            server.getObject({
              apiVersion: "apps/v1",
              kind: "Deployment",
              namespace: "course",
              name: "grader",
            })?.status as { availableReplicas?: number } | undefined
          )?.availableReplicas,
      )
      .toBe(2);
  });
});

describe("pod logs", () => {
  it("serves what the kubelet wrote through pods/<name>/log, per container", async () => {
    await createNamespace("logs");
    const pod = (name: string, containers: string[]) =>
      coreApi().createNamespacedPod({
        namespace: "logs",
        body: {
          metadata: { name },
          spec: { containers: containers.map((container) => ({ name: container, image: "x" })) },
        },
      });
    await pod("one", ["main"]);
    await pod("two", ["a", "b"]);
    expect(await coreApi().readNamespacedPodLog({ name: "one", namespace: "logs" })).toBe("");
    server.setPodLog({ namespace: "logs", name: "one" }, "first line\nsecond line\n");
    server.setPodLog({ namespace: "logs", name: "two", container: "b" }, "from b\n");
    expect(await coreApi().readNamespacedPodLog({ name: "one", namespace: "logs" })).toBe(
      "first line\nsecond line\n",
    );
    expect(
      await coreApi().readNamespacedPodLog({ name: "two", namespace: "logs", container: "b" }),
    ).toBe("from b\n");
    expect(
      await coreApi().readNamespacedPodLog({ name: "one", namespace: "logs", tailLines: 1 }),
    ).toBe("second line\n");
    const unnamed = await captureStatus(
      coreApi().readNamespacedPodLog({ name: "two", namespace: "logs" }),
    );
    expect(unnamed.code).toBe(400);
    expect(unnamed.message).toContain("choose one of: [a b]");
    expect(
      await captureStatus(coreApi().readNamespacedPodLog({ name: "gone", namespace: "logs" })),
    ).toMatchObject({ code: 404, reason: "NotFound" });

    // A new pod of the same name starts with an empty log.
    await coreApi().deleteNamespacedPod({ name: "one", namespace: "logs" });
    await pod("one", ["main"]);
    expect(await coreApi().readNamespacedPodLog({ name: "one", namespace: "logs" })).toBe("");
  });
});

describe("deletion of dependents", () => {
  async function jobWithPod(name: string) {
    const job = await objectApi().create({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name, namespace: "gc" },
      spec: { template: { spec: { containers: [{ name: "main", image: "x" }] } } },
    } as KubernetesObject);
    await objectApi().create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: `${name}-pod`,
        namespace: "gc",
        labels: { "job-name": name },
        ownerReferences: [
          { apiVersion: "batch/v1", kind: "Job", name, uid: job.metadata?.uid ?? "" },
        ],
      },
      spec: { containers: [{ name: "main", image: "x" }] },
    } as KubernetesObject);
  }
  const podNames = () =>
    server
      .listObjects({ apiVersion: "v1", kind: "Pod", namespace: "gc" })
      .map((pod) => (pod.metadata as { name: string }).name);

  it("orphans a Job's pods by default and deletes them with propagationPolicy Background", async () => {
    await createNamespace("gc");
    await jobWithPod("orphaning");
    await jobWithPod("collected");
    const job = (name: string) => ({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name, namespace: "gc" },
    });
    await objectApi().delete(job("orphaning"));
    expect(podNames()).toEqual(["collected-pod", "orphaning-pod"]);
    await objectApi().delete(
      job("collected"),
      undefined,
      undefined,
      undefined,
      undefined,
      "Background",
    );
    expect(podNames()).toEqual(["orphaning-pod"]);
    expect(
      server.getObject({ apiVersion: "batch/v1", kind: "Job", namespace: "gc", name: "collected" }),
    ).toBeUndefined();
  });
});

describe("idle connections", () => {
  /** Sends one request on `socket` and resolves with the response's head. */
  function requestApi(socket: Socket): Promise<string> {
    return new Promise((resolve, reject) => {
      let received = "";
      const onData = (chunk: Buffer) => {
        received += chunk.toString("latin1");
        const length = /content-length: (\d+)/i.exec(received)?.[1];
        const headEnd = received.indexOf("\r\n\r\n");
        if (length === undefined || headEnd < 0) return;
        if (received.length < headEnd + 4 + Number(length)) return;
        socket.off("data", onData);
        socket.off("end", onEnd);
        resolve(received.slice(0, headEnd));
      };
      const onEnd = () => reject(new Error("the server closed the connection"));
      socket.on("data", onData);
      socket.once("end", onEnd);
      socket.once("error", reject);
      socket.write("GET /api HTTP/1.1\r\nHost: kubernetes\r\nAccept: application/json\r\n\r\n");
    });
  }

  it("keeps a connection open longer than Node's default, announcing no keep-alive timeout, as kube-apiserver does", async () => {
    // Node's default (5 s, announced as Keep-Alive: timeout=5) closes first while a stalled
    // client still counts the connection as reusable; kube-apiserver keeps it for 90 s.
    const { port, hostname } = new URL(server.url);
    const socket = createConnection({ host: hostname, port: Number(port) });
    try {
      const first = await requestApi(socket);
      expect(first).toMatch(/^HTTP\/1\.1 200/);
      expect(first.toLowerCase()).not.toContain("keep-alive: timeout");
      await new Promise((resolve) => setTimeout(resolve, 6_500));
      expect(await requestApi(socket)).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      socket.destroy();
    }
  }, 20_000);
});
