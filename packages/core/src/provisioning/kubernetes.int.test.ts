import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { useTestDatabase } from "@hubfed/db/testing";
import { createInMemoryJobQueues } from "@hubfed/jobs";
import {
  applyObjects,
  connectToCluster,
  cpuQuantityToMilli,
  memoryQuantityToMib,
} from "@hubfed/kube";
import { startKubernetesTestServer, type KubernetesTestServer } from "@hubfed/kube/test-server";
import { createSecretBox, generateSecret, sealedSecretContexts } from "@hubfed/identity/secret-box";
import { defaultGradingLimits } from "@hubfed/grader";
import { hubSpecSchema } from "@hubfed/hub-spec";
import { approveRequest } from "../requests/approval";
import { saveDraft, submitRequest } from "../requests/authoring";
import { data101RequestForm } from "../demo/requests";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { sampleHubUsage } from "../metering/metering";
import { decommissionHub } from "./decommission";
import { reconcileHub } from "./reconcile";
import { loadHubWithPlacement, type HubRuntime, type RuntimeResolver } from "./runtime";
import { createKubernetesRuntime } from "./runtimes/kubernetes";

// The Kubernetes path against the in-repo API test server, over real HTTP
// with the real client: approval → reconcile creates every object; a second
// reconcile writes nothing; a memory change touches only the HelmRelease; a
// reconcile that dies half-way is finished by the next; decommission keeps
// the homes and releases the hold.

const database = useTestDatabase();
// The tests run each reconcile themselves; the approval's queued job is not needed.
const queues = createInMemoryJobQueues();
let server: KubernetesTestServer;
let ops: Actor;
let instructor: Actor;
let runtime: ReturnType<typeof createKubernetesRuntime>;
let hubId = "";
let namespace = "";
const secretBox = createSecretBox(randomBytes(32).toString("base64"));

const runtimeFor: RuntimeResolver = () => runtime;
const reconcile = (overrides: Partial<Parameters<typeof reconcileHub>[1]> = {}) =>
  reconcileHub(database().db, {
    hubId,
    trigger: "approval",
    runtimeFor,
    workerId: "worker-a",
    isLastAttempt: false,
    readyPollMs: 50,
    readyTimeoutMs: 10_000,
    ...overrides,
  });

beforeAll(async () => {
  const db = database().db;
  server = await startKubernetesTestServer({ controller: { isEnabled: true, delayMs: 20 } });
  await seedDemoFederation(db);
  await db.cluster.updateMany({
    where: { region: { slug: "us-west" } },
    data: { apiServerUrl: server.url },
  });
  ops = await actorFor(db, "ops@hubfed.example");
  instructor = await actorFor(db, "prof.rivera@westvalley.edu");
  runtime = createKubernetesRuntime({
    db,
    secretBox,
    portalUrl: "https://portal.hubfed.example.org",
    ingressControllerNamespace: "ingress-nginx",
  });
  const form = {
    ...data101RequestForm,
    course: {
      ...data101RequestForm.course,
      code: "DATA 102",
      term: "Spring 2027",
      startDate: "2027-01-20",
      endDate: "2027-05-15",
    },
    schedule: { meetings: data101RequestForm.schedule.meetings, importantDates: [] },
  };
  const draft = await saveDraft({ db, actor: instructor }, { draft: form });
  await submitRequest({ db, actor: instructor }, { requestId: draft.id });
  const cluster = await db.cluster.findFirstOrThrow({ where: { slug: "aws-eks-1" } });
  const pool = await db.creditPool.findUniqueOrThrow({ where: { slug: "aws-cloud-credits-2026" } });
  const { hub } = await approveRequest(
    { db, actor: ops, queues },
    { requestId: draft.id, clusterId: cluster.id, creditPoolId: pool.id },
  );
  hubId = hub.id;
  namespace = `hub-${hub.slug}`;
});

afterAll(async () => {
  await server.stop();
});

function objectsInNamespace() {
  return [
    "Namespace",
    "ResourceQuota",
    "LimitRange",
    "NetworkPolicy",
    "Secret",
    "ServiceAccount",
    "Role",
    "RoleBinding",
    "Deployment",
    "Service",
    "HelmRelease",
  ].flatMap((kind) => {
    const apiVersion =
      {
        Deployment: "apps/v1",
        NetworkPolicy: "networking.k8s.io/v1",
        Role: "rbac.authorization.k8s.io/v1",
        RoleBinding: "rbac.authorization.k8s.io/v1",
        HelmRelease: "helm.toolkit.fluxcd.io/v2",
      }[kind] ?? "v1";
    return server
      .listObjects(kind === "Namespace" ? { apiVersion, kind } : { apiVersion, kind, namespace })
      .filter(
        (object) =>
          kind !== "Namespace" || (object.metadata as { name: string }).name === namespace,
      );
  });
}

describe("provisioning on Kubernetes", () => {
  it("creates every object of the hub with its labels and values, and reports READY with the hub's URL", async () => {
    const db = database().db;
    const outcome = await reconcile();
    expect(outcome.outcome).toBe("converged");
    const hub = await db.hub.findUniqueOrThrow({
      where: { id: hubId },
      include: { runs: { include: { steps: true } }, conditions: true },
    });
    expect(hub.status).toBe("READY");
    expect(hub.url).toBe(`https://${hub.slug}.us-west.hubfed.example.org`);
    expect(hub.appliedRevision).toBe(hub.specRevision);
    expect(hub.runs).toHaveLength(1);
    expect(hub.runs[0]?.steps.every((step) => step.status === "SUCCEEDED")).toBe(true);
    expect(hub.runs[0]?.steps.map((step) => step.name)).toContain(
      "Validate the hub's values against the chart's schema",
    );
    expect(hub.conditions.find((condition) => condition.type === "Ready")?.status).toBe("TRUE");

    const namespaceObject = server.getObject({
      apiVersion: "v1",
      kind: "Namespace",
      name: namespace,
    });
    expect((namespaceObject?.metadata as { labels: Record<string, string> }).labels).toMatchObject({
      "hubfed.io/hub": hub.slug,
      "hubfed.io/institution": "west-valley",
      "hubfed.io/region": "us-west",
    });
    const kinds = objectsInNamespace().map((object) => object.kind);
    for (const kind of ["ResourceQuota", "LimitRange", "NetworkPolicy", "Secret", "HelmRelease"])
      expect(kinds).toContain(kind);
    const release = server.getObject({
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      namespace,
      name: namespace,
    });
    const values = (release?.spec as { values: { singleuser: { memory: { guarantee: string } } } })
      .values;
    expect(values.singleuser.memory.guarantee).toBe("1G");
    const client = await db.hubOidcClient.findUniqueOrThrow({ where: { hubId } });
    expect(client.clientSecretEncrypted).toMatch(/^v2\./);
  });

  it("makes zero write calls when nothing changed", async () => {
    server.resetCounters();
    const outcome = await reconcile({ trigger: "drift" });
    expect(outcome.outcome).toBe("converged");
    expect(server.countWrites()).toBe(0);
    // Drift reconciles do not pile up: older runs are pruned.
    await reconcile({ trigger: "drift", keptRuns: 2 });
    expect(await database().db.provisioningRun.count({ where: { hubId } })).toBe(2);
  });

  it("sends nothing for an untouched hub, and still puts back an object someone changed or deleted", async () => {
    // The runtime's resource-version cache starts on the first drift check; until it has listed
    // and is watching, objects are applied as before.
    await vi.waitFor(
      async () => {
        server.resetCounters();
        expect((await reconcile({ trigger: "drift" })).outcome).toBe("converged");
        expect(server.counters.patchNoop + server.counters.patchChanged).toBe(0);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(server.countWrites()).toBe(0);

    const quota = { apiVersion: "v1", kind: "ResourceQuota", namespace, name: "hub-quota" };
    const wanted = structuredClone(server.getObject(quota)?.spec);
    // Someone's `kubectl edit` of a field hubfed owns, and a deleted network policy.
    const someone = connectToCluster("someone", { apiServerUrl: server.url });
    await someone.objects.patch(
      {
        apiVersion: "v1",
        kind: "ResourceQuota",
        metadata: { name: "hub-quota", namespace },
        spec: { hard: { "services.loadbalancers": "5" } },
      },
      undefined,
      undefined,
      "kubectl-edit",
      undefined,
      // A merge patch, as `kubectl edit` sends.
      "application/merge-patch+json",
    );
    const policy = server
      .listObjects({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", namespace })
      .at(0);
    const policyName = (policy?.metadata as { name: string }).name;
    await someone.objects.delete({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: policyName, namespace },
    });
    expect(server.getObject(quota)?.spec).not.toEqual(wanted);

    server.resetCounters();
    expect((await reconcile({ trigger: "drift" })).outcome).toBe("converged");
    // Exactly the two touched objects were applied; both are back as hubfed wants them.
    expect(server.counters.patchChanged).toBe(2);
    expect(server.counters.patchNoop).toBe(0);
    expect(server.getObject(quota)?.spec).toEqual(wanted);
    expect(
      server.getObject({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        namespace,
        name: policyName,
      }),
    ).toBeDefined();

    // And the repaired hub is again confirmed without a request per object.
    await vi.waitFor(
      async () => {
        server.resetCounters();
        await reconcile({ trigger: "drift" });
        expect(server.counters.patchNoop + server.counters.patchChanged).toBe(0);
      },
      { timeout: 5_000, interval: 50 },
    );
  });

  it("changes exactly the HelmRelease when the memory changes", async () => {
    const db = database().db;
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    const spec = hubSpecSchema.parse(hub.spec);
    await db.hub.update({
      where: { id: hubId },
      data: {
        spec: { ...spec, memoryGuaranteeMib: 2048, memoryLimitMib: spec.memoryLimitMib },
        specRevision: { increment: 1 },
      },
    });
    server.resetCounters();
    await reconcile({ trigger: "change" });
    expect(server.countWrites()).toBe(1);
    expect(server.counters.patchChanged).toBe(1);
    const release = server.getObject({
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      namespace,
      name: namespace,
    });
    expect(
      (release?.spec as { values: { singleuser: { memory: { guarantee: string } } } }).values
        .singleuser.memory.guarantee,
    ).toBe("2G");
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("READY");
  });

  it("hands a rotated client secret to the hub: its Secret, and a revision that rolls the hub pod", async () => {
    const db = database().db;
    const releaseValues = () =>
      (
        server.getObject({
          apiVersion: "helm.toolkit.fluxcd.io/v2",
          kind: "HelmRelease",
          namespace,
          name: namespace,
        })?.spec as { values: { hub: { annotations?: Record<string, string> } } }
      ).values;
    const secretData = () =>
      (
        server.getObject({
          apiVersion: "v1",
          kind: "Secret",
          namespace,
          name: "hubfed-oidc-client",
        }) as { data: Record<string, string> }
      ).data;
    const revisionKey = "hubfed.io/oidc-client-secret-revision";
    const before = await db.hubOidcClient.findUniqueOrThrow({ where: { hubId } });
    expect(releaseValues().hub.annotations?.[revisionKey]).toBe(before.rotatedAt.toISOString());

    // What rotation does to the stored client (people/identity-admin: rotateHubClientSecret).
    const rotatedSecret = generateSecret();
    const rotatedAt = new Date(before.rotatedAt.getTime() + 60_000);
    await db.hubOidcClient.update({
      where: { hubId },
      data: {
        clientSecretEncrypted: secretBox.seal(
          rotatedSecret,
          sealedSecretContexts.hubOidcClientSecret(hubId),
        ),
        rotatedAt,
      },
    });
    server.resetCounters();
    expect((await reconcile({ trigger: "secret-rotation" })).outcome).toBe("converged");
    // The Secret and the HelmRelease, nothing else.
    expect(server.countWrites()).toBe(2);
    expect(Buffer.from(secretData()["client-secret"] ?? "", "base64").toString()).toBe(
      rotatedSecret,
    );
    expect(releaseValues().hub.annotations?.[revisionKey]).toBe(rotatedAt.toISOString());
  });

  it("finishes a reconcile that died half-way, without duplicating anything", async () => {
    const db = database().db;
    const before = objectsInNamespace().length;
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    const spec = hubSpecSchema.parse(hub.spec);
    await db.hub.update({
      where: { id: hubId },
      data: { spec: { ...spec, cullTimeoutSeconds: 1800 }, specRevision: { increment: 1 } },
    });
    // The first worker dies right before applying the chart release, holding the lease…
    const dying: HubRuntime = {
      ...runtime,
      async planReconcile(context) {
        const steps = await runtime.planReconcile(context);
        return steps.map((step) =>
          step.name === "Apply the JupyterHub chart release"
            ? { ...step, run: () => Promise.reject(new Error("worker killed")) }
            : step,
        );
      },
    };
    await expect(
      reconcileHub(db, {
        hubId,
        trigger: "change",
        runtimeFor: () => dying,
        workerId: "worker-dead",
        isLastAttempt: false,
        readyPollMs: 50,
      }),
    ).rejects.toThrow(/worker killed/);
    await db.hub.update({
      where: { id: hubId },
      data: {
        reconcileLeaseOwner: "worker-dead",
        reconcileLeaseExpiresAt: new Date(Date.now() + 60_000),
      },
    });
    // …a second worker finds the lease taken and leaves it; once it expires, it converges.
    expect((await reconcile({ workerId: "worker-b", trigger: "retry" })).outcome).toBe("busy");
    await db.hub.update({
      where: { id: hubId },
      data: { reconcileLeaseExpiresAt: new Date(Date.now() - 1) },
    });
    expect((await reconcile({ workerId: "worker-b", trigger: "retry" })).outcome).toBe("converged");
    expect(objectsInNamespace()).toHaveLength(before);
    const release = server.getObject({
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      namespace,
      name: namespace,
    });
    expect((release?.spec as { values: { cull: { timeout: number } } }).values.cull.timeout).toBe(
      1800,
    );
    const hubAfter = await db.hub.findUniqueOrThrow({
      where: { id: hubId },
      include: { runs: { orderBy: { queuedAt: "asc" } } },
    });
    expect(hubAfter.status).toBe("READY");
    expect(hubAfter.runs.at(-2)?.status).toBe("FAILED");
    expect(hubAfter.runs.at(-1)?.status).toBe("SUCCEEDED");
  });

  it("removes exactly the autograder's objects when the spec turns it off, then writes nothing", async () => {
    const db = database().db;
    const setAutograder = async (isEnabled: boolean) => {
      const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
      const spec = hubSpecSchema.parse(hub.spec);
      await db.hub.update({
        where: { id: hubId },
        data: { spec: { ...spec, autograder: { isEnabled } }, specRevision: { increment: 1 } },
      });
    };
    const names = () =>
      objectsInNamespace()
        .map((object) => `${object.kind as string}/${(object.metadata as { name: string }).name}`)
        .sort();
    await setAutograder(true);
    expect((await reconcile({ trigger: "change" })).outcome).toBe("converged");
    const withAutograder = names();
    // Grading runs in Jobs the worker creates per submission; the hub itself only
    // holds the policy that cuts grading pods off (and the user servers' values).
    expect(withAutograder).toContain("NetworkPolicy/deny-grading-traffic");
    const userServerValues = () =>
      (
        server.getObject({
          apiVersion: "helm.toolkit.fluxcd.io/v2",
          kind: "HelmRelease",
          namespace,
          name: namespace,
        })?.spec as { values: { singleuser: Record<string, unknown> } }
      ).values.singleuser;
    expect(userServerValues().extraEnv).toMatchObject({
      PYTHONPATH: "/usr/local/share/hubfed/python",
      HUBFED_PORTAL_URL: "https://portal.hubfed.example.org",
    });
    // Objects reconcile must never touch: someone else's, the chart's, and a home volume.
    const foreignLabels = { "hubfed.io/hub": namespace.slice("hub-".length) };
    server.createObject({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "someone-elses", namespace },
      spec: { selector: { matchLabels: { app: "x" } }, template: { metadata: {}, spec: {} } },
    });
    server.createObject({
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "hub",
        namespace,
        labels: { ...foreignLabels, "app.kubernetes.io/managed-by": "Helm" },
      },
      spec: {},
    });
    server.createObject({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "claim-kept", namespace, labels: foreignLabels },
      spec: {},
    });

    await setAutograder(false);
    server.resetCounters();
    expect((await reconcile({ trigger: "change" })).outcome).toBe("converged");
    expect(server.counters.delete).toBe(1);
    const after = names();
    expect(withAutograder.filter((object) => !after.includes(object))).toEqual([
      "NetworkPolicy/deny-grading-traffic",
    ]);
    // Nothing new but the foreign objects made above.
    expect(after.filter((object) => !withAutograder.includes(object))).toEqual([
      "Deployment/someone-elses",
      "Service/hub",
    ]);
    // The student module leaves the user servers' values with it.
    expect(userServerValues().extraEnv).toBeUndefined();
    expect(userServerValues().extraFiles).toBeUndefined();
    expect(after).toContain("Deployment/someone-elses");
    expect(after).toContain("Service/hub");
    expect(
      server.getObject({
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        namespace,
        name: "claim-kept",
      }),
    ).toBeDefined();
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    expect(
      Object.keys(
        (hub.runtimeState as { resourceVersions: Record<string, string> }).resourceVersions,
      ),
    ).not.toContain(`networking.k8s.io/v1 NetworkPolicy ${namespace}/deny-grading-traffic`);

    // Converged: the next reconcile neither writes nor lists.
    server.resetCounters();
    expect((await reconcile({ trigger: "drift" })).outcome).toBe("converged");
    expect(server.countWrites()).toBe(0);
    expect(server.counters.list).toBe(0);
  });

  it("removes the grader Deployment and its account that hubs had before grading ran in Jobs", async () => {
    const db = database().db;
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    const labels = {
      "app.kubernetes.io/managed-by": "hubfed",
      "hubfed.io/hub": hub.slug,
    };
    const metadata = { name: "autograder", namespace, labels };
    const legacy = [
      { apiVersion: "v1", kind: "ServiceAccount", metadata },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata,
        spec: {
          selector: { matchLabels: { component: "autograder" } },
          template: {
            metadata: { labels: { component: "autograder" } },
            spec: {
              containers: [{ name: "autograder", image: "ghcr.io/hubfed/autograder:1.0.0" }],
            },
          },
        },
      },
    ];
    // Applied by reconcile's field manager and remembered, as the previous version left them.
    const applied = await applyObjects(
      connectToCluster("test", { apiServerUrl: server.url }),
      legacy,
    );
    const state = hub.runtimeState as { resourceVersions: Record<string, string> };
    const resourceVersions = { ...state.resourceVersions };
    for (const result of applied) resourceVersions[result.object] = result.resourceVersion;
    await db.hub.update({
      where: { id: hubId },
      data: { runtimeState: { ...state, resourceVersions } },
    });
    server.resetCounters();
    expect((await reconcile({ trigger: "drift" })).outcome).toBe("converged");
    expect(server.counters.delete).toBe(2);
    for (const kind of ["ServiceAccount", "Deployment"])
      expect(
        server.getObject({
          apiVersion: kind === "Deployment" ? "apps/v1" : "v1",
          kind,
          namespace,
          name: "autograder",
        }),
      ).toBeUndefined();
  });

  it("scans once for leftovers when a provisioned hub's applied set was lost", async () => {
    const db = database().db;
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    server.createObject({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "autograder", namespace, labels: { "hubfed.io/hub": hub.slug } },
    });
    // Labelled as ours but never applied by our field manager: not ours to delete either.
    await db.hub.update({ where: { id: hubId }, data: { runtimeState: { namespace } } });
    server.resetCounters();
    expect((await reconcile({ trigger: "drift" })).outcome).toBe("converged");
    expect(server.counters.list).toBeGreaterThan(0);
    expect(server.counters.delete).toBe(0);
    expect(
      server.getObject({ apiVersion: "v1", kind: "ServiceAccount", namespace, name: "autograder" }),
    ).toBeDefined();
    server.resetCounters();
    await reconcile({ trigger: "drift" });
    expect(server.counters.list).toBe(0);
    expect(server.countWrites()).toBe(0);
  });

  it("grades a hub's submissions in its namespace, with its image and a user server's limits", async () => {
    const db = database().db;
    const hub = await loadHubWithPlacement(db, hubId);
    if (!hub) throw new Error("hub not found");
    const spec = hubSpecSchema.parse(hub.spec);
    const sandbox = runtime.gradingSandbox(hub, spec);
    expect(sandbox.describe().kind).toBe("kubernetes");
    const grading = sandbox.grade({
      submissionId: "runtime-wiring",
      notebook: JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }),
      tests: [],
      supportFiles: [],
      limits: { ...defaultGradingLimits, memoryMib: spec.memoryLimitMib * 4 },
    });
    let job: Record<string, unknown> | undefined;
    for (let attempt = 0; attempt < 200 && !job; attempt += 1) {
      job = server.listObjects({ apiVersion: "batch/v1", kind: "Job", namespace })[0];
      if (!job) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (!job) throw new Error("no grading Job");
    const metadata = job.metadata as { name: string; labels: Record<string, string> };
    expect(metadata.labels).toMatchObject({
      "hubfed.io/grading": "true",
      "hubfed.io/hub": hub.slug,
      "hubfed.io/course": hub.course.slug,
      "hubfed.io/institution": hub.course.institution.slug,
      "hubfed.io/region": "us-west",
    });
    type Resources = Record<"requests" | "limits", { cpu: string; memory: string }>;
    const container = (
      job.spec as {
        template: { spec: { containers: Array<{ image: string; resources: Resources }> } };
      }
    ).template.spec.containers[0];
    expect(container?.image).toBe(spec.image);
    // The grading limits asked for more memory than a user server gets: the server's limit wins,
    // requested in full.
    const resources = container?.resources;
    expect(resources?.requests).toEqual(resources?.limits);
    expect(memoryQuantityToMib(resources?.limits.memory ?? "")).toBe(spec.memoryLimitMib);
    expect(cpuQuantityToMilli(resources?.limits.cpu ?? "")).toBe(spec.cpuLimitMilli);
    server.setStatus(
      { apiVersion: "batch/v1", kind: "Job", namespace, name: metadata.name },
      { conditions: [{ type: "Failed", status: "True", reason: "DeadlineExceeded" }] },
    );
    expect((await grading).status).toBe("failed");
    expect(server.listObjects({ apiVersion: "batch/v1", kind: "Job", namespace })).toEqual([]);
  });

  it("meters the requests of the running single-user pods and the home volumes", async () => {
    const db = database().db;
    for (const [name, phase] of [
      ["jupyter-ana", "Running"],
      ["jupyter-sam", "Running"],
      ["jupyter-late", "Pending"],
    ] as const) {
      server.createObject({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace, labels: { component: "singleuser-server" } },
        spec: {
          containers: [
            { name: "notebook", resources: { requests: { memory: "1Gi", cpu: "250m" } } },
          ],
        },
      });
      server.setStatus({ apiVersion: "v1", kind: "Pod", namespace, name }, { phase });
    }
    server.createObject({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "claim-ana", namespace, labels: { component: "singleuser-storage" } },
      spec: { resources: { requests: { storage: "10Gi" } } },
    });
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    const reading = await runtime.probeUsage({ ...hub, isStopped: false });
    expect(reading).toEqual({
      activeUsers: 2,
      runningServers: 2,
      requestedMemoryMib: 2048,
      requestedMilliCpu: 500,
      storageMib: 10_240n,
      source: "kubernetes",
      // No hub answers on the test server: the cluster's figures alone.
      hubMetrics: null,
    });
  });

  it("scrapes the hub's own metrics into the usage samples with the chart's portal token", async () => {
    const db = database().db;
    const token = randomBytes(24).toString("hex");
    // A stand-in for the hub's /hub/metrics (a Zero to JupyterHub hub needs a real cluster):
    // JupyterHub's text format, and its refusal of a scrape without the token.
    const scrapes: Array<string | undefined> = [];
    const standIn = createServer((request, response) => {
      scrapes.push(request.headers.authorization);
      if (request.url !== "/hub/metrics" || request.headers.authorization !== `token ${token}`) {
        response.statusCode = 403;
        response.end();
        return;
      }
      response.setHeader("content-type", "text/plain; version=0.0.4");
      response.end(
        [
          "# TYPE jupyterhub_active_users gauge",
          'jupyterhub_active_users{period="24h"} 31.0',
          "jupyterhub_running_servers 2.0",
          "jupyterhub_total_users 40.0",
          "# TYPE jupyterhub_server_spawn_duration_seconds histogram",
          'jupyterhub_server_spawn_duration_seconds_count{status="success"} 12.0',
          'jupyterhub_server_spawn_duration_seconds_sum{status="success"} 54.5',
          'jupyterhub_server_spawn_duration_seconds_count{status="failure"} 1.0',
          'jupyterhub_server_spawn_duration_seconds_sum{status="failure"} 300.0',
          "",
        ].join("\n"),
      );
    });
    await new Promise<void>((resolve) => standIn.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
    const scraping = createKubernetesRuntime({
      db,
      secretBox,
      portalUrl: "https://portal.hubfed.example.org",
      ingressControllerNamespace: "ingress-nginx",
      hubOriginFor: () => origin,
    });
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: hub.clusterId } });
    await db.cluster.update({ where: { id: cluster.id }, data: { isSimulated: false } });
    try {
      // Before the chart has made its Secret there is no token to scrape with: no request at all.
      expect((await scraping.probeUsage({ ...hub, isStopped: false })).hubMetrics).toBeNull();
      expect(scrapes).toEqual([]);

      // What the chart does at install: the portal service's generated token in Secret `hub`.
      await applyObjects(connectToCluster("test", { apiServerUrl: server.url }), [
        {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "hub", namespace },
          data: { "hub.services.portal.apiToken": Buffer.from(token).toString("base64") },
        },
      ]);
      const reading = await scraping.probeUsage({ ...hub, isStopped: false });
      expect(reading).toMatchObject({ runningServers: 2, storageMib: 10_240n });
      expect(reading.hubMetrics).toEqual({
        activeUsers24h: 31,
        runningServers: 2,
        totalUsers: 40,
        spawnsSucceeded: 12,
        spawnSecondsTotal: 54.5,
        spawnsFailed: 1,
      });
      expect(scrapes).toEqual([`token ${token}`]);

      // Into the usage samples, beside the cluster's figures.
      const sampledAt = new Date("2026-11-20T10:00:00Z");
      const sampled = await sampleHubUsage(db, () => scraping.probeUsage, { now: sampledAt });
      expect(sampled.errors).toEqual([]);
      expect(await db.usageSample.findFirstOrThrow({ where: { hubId, sampledAt } })).toMatchObject({
        runningServers: 2,
        hubActiveUsers24h: 31,
        hubSpawnsSucceeded: 12,
        hubSpawnsFailed: 1,
      });

      // A suspended hub is down: it is measured from the cluster without asking it.
      const before = scrapes.length;
      expect((await scraping.probeUsage({ ...hub, isStopped: true })).hubMetrics).toBeNull();
      expect(scrapes).toHaveLength(before);
      // A simulated cluster has no hub to ask either.
      await db.cluster.update({ where: { id: cluster.id }, data: { isSimulated: true } });
      expect((await scraping.probeUsage({ ...hub, isStopped: false })).hubMetrics).toBeNull();
      expect(scrapes).toHaveLength(before);
    } finally {
      await db.cluster.update({
        where: { id: cluster.id },
        data: { isSimulated: cluster.isSimulated },
      });
      await new Promise((resolve) => standIn.close(resolve));
    }
  });

  it("retires the hub: homes kept, release removed, hold released, ARCHIVED", async () => {
    const db = database().db;
    server.createObject({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "claim-student", namespace, labels: { component: "singleuser-storage" } },
      spec: {},
    });
    await db.hub.update({ where: { id: hubId }, data: { status: "DECOMMISSIONING" } });
    const result = await decommissionHub(db, { hubId, runtimeFor, workerId: "worker-a" });
    expect(result.outcome).toBe("archived");
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("ARCHIVED");
    expect(
      server.getObject({
        apiVersion: "helm.toolkit.fluxcd.io/v2",
        kind: "HelmRelease",
        namespace,
        name: namespace,
      }),
    ).toBeUndefined();
    const claim = server.getObject({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      namespace,
      name: "claim-student",
    });
    expect((claim?.metadata as { labels: Record<string, string> }).labels["hubfed.io/retain"]).toBe(
      "true",
    );
    const allocation = await db.allocation.findUniqueOrThrow({
      where: { hubId },
      include: { ledgerAccount: true },
    });
    expect(allocation.ledgerAccount.pendingCreditsCents).toBe(0n);
  });
});
