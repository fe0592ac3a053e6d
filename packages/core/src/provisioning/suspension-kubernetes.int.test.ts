import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { useTestDatabase } from "@hubfed/db/testing";
import { createInMemoryJobQueues, provisionHubJob } from "@hubfed/jobs";
import { startKubernetesTestServer, type KubernetesTestServer } from "@hubfed/kube/test-server";
import { createSecretBox } from "@hubfed/identity/secret-box";
import { topUpHubAllocation } from "../credits/hub-allocation-top-up";
import { takeHubAction } from "../hubs/actions";
import { createHubBudgetSwitch } from "../hubs/budget-switch";
import { data101RequestForm } from "../demo/requests";
import { approveRequest } from "../requests/approval";
import { saveDraft, submitRequest } from "../requests/authoring";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import {
  askToSignIn,
  giveHubATinySuspendBudget,
  meterAndPostDay,
  publishTestLink,
  startPortalIdentity,
  whatTheStudentSees,
  type PortalIdentity,
} from "../testing/suspension";
import { reconcileHub } from "./reconcile";
import { createKubernetesRuntime } from "./runtimes/kubernetes";

// Suspended means stopped, on Kubernetes (issue 17), against the in-repo API server over real
// HTTP: a hub whose SUSPEND-policy allocation reaches 100 % is suspended by the daily posting;
// the queued reconcile runs its release at zero replicas and deletes its users' server pods; the
// portal's OIDC provider refuses sign-in, naming the instructor; the student's link and My hubs
// say "Suspended"; its home volumes are still metered and billed; a top-up brings it back with
// the same volumes.

const database = useTestDatabase();
const queues = createInMemoryJobQueues();
const hubs = createHubBudgetSwitch(queues);
const secretKey = randomBytes(32).toString("base64");
const secretBox = createSecretBox(secretKey);
const dayMs = 86_400_000;
const today = new Date(Math.floor(Date.now() / dayMs) * dayMs);
// Before the demo's month of usage history, so these days are the test's own.
const usedUpDay = new Date(today.getTime() - 45 * dayMs);
const suspendedDay = new Date(today.getTime() - 44 * dayMs);

let server: KubernetesTestServer;
let identity: PortalIdentity;
let runtime: ReturnType<typeof createKubernetesRuntime>;
let ops: Actor;
let hubId = "";
let namespace = "";
let courseSlug = "";
let studentId = "";

function reconcileQueuedJob() {
  const job = queues.jobsOf(provisionHubJob).at(-1);
  if (!job) throw new Error("no reconcile was queued");
  return reconcileHub(database().db, {
    hubId: job.data.hubId,
    trigger: job.data.trigger,
    runtimeFor: () => runtime,
    workerId: "worker-k",
    isLastAttempt: true,
    readyPollMs: 50,
    readyTimeoutMs: 10_000,
  });
}

function userServerPods() {
  return server
    .listObjects({ apiVersion: "v1", kind: "Pod", namespace })
    .filter(
      (pod) =>
        (pod.metadata as { labels?: Record<string, string> }).labels?.component ===
        "singleuser-server",
    )
    .map((pod) => (pod.metadata as { name: string }).name);
}

function release() {
  const object = server.getObject({
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    namespace,
    name: namespace,
  });
  return object?.spec as {
    postRenderers?: unknown[];
    values: { prePuller: { continuous: { enabled: boolean } } };
  };
}

function homeVolumeIds() {
  return server
    .listObjects({ apiVersion: "v1", kind: "PersistentVolumeClaim", namespace })
    .map((claim) => (claim.metadata as { uid: string }).uid)
    .sort();
}

/** What KubeSpawner does when a student starts their server: a running pod and a home volume. */
function startServerOf(student: string) {
  server.createObject({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `jupyter-${student}`,
      namespace,
      labels: { component: "singleuser-server" },
    },
    spec: {
      containers: [{ name: "notebook", resources: { requests: { memory: "2Gi", cpu: "500m" } } }],
    },
  });
  server.setStatus(
    { apiVersion: "v1", kind: "Pod", namespace, name: `jupyter-${student}` },
    { phase: "Running" },
  );
  if (
    !server.getObject({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      namespace,
      name: `claim-${student}`,
    })
  )
    server.createObject({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: {
        name: `claim-${student}`,
        namespace,
        labels: { component: "singleuser-storage" },
      },
      spec: { resources: { requests: { storage: "10Gi" } } },
    });
}

beforeAll(async () => {
  const db = database().db;
  server = await startKubernetesTestServer({ controller: { isEnabled: true, delayMs: 20 } });
  await seedDemoFederation(db);
  // The test server is a real API over HTTP: its hubs are launched like a real cluster's.
  await db.cluster.updateMany({
    where: { region: { slug: "us-west" } },
    data: { apiServerUrl: server.url, isSimulated: false },
  });
  identity = await startPortalIdentity(db, secretBox, secretKey);
  runtime = createKubernetesRuntime({
    db,
    secretBox,
    portalUrl: identity.portalUrl,
    ingressControllerNamespace: "ingress-nginx",
    releaseWait: { timeoutMs: 10_000, pollMs: 50 },
  });
  ops = await actorFor(db, "ops@hubfed.example");
  const instructor = await actorFor(db, "prof.rivera@westvalley.edu");
  const form = {
    ...data101RequestForm,
    course: {
      ...data101RequestForm.course,
      code: "DATA 103",
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
  const course = await db.course.findUniqueOrThrow({ where: { id: hub.courseId } });
  courseSlug = course.slug;
  const student = await db.user.findUniqueOrThrow({ where: { email: "student@westvalley.edu" } });
  studentId = student.id;
  await db.enrollment.create({
    data: { userId: student.id, courseId: course.id, role: "STUDENT" },
  });
  await publishTestLink(db, { courseId: course.id, code: "data103lab1" });
  const outcome = await reconcileHub(db, {
    hubId,
    trigger: "approval",
    runtimeFor: () => runtime,
    workerId: "worker-k",
    isLastAttempt: true,
    readyPollMs: 50,
    readyTimeoutMs: 10_000,
  });
  expect(outcome.outcome).toBe("converged");
}, 60_000);

afterAll(async () => {
  await identity?.close();
  await server?.stop();
});

describe("a suspended hub on Kubernetes", () => {
  it("runs, with two students' servers, and the student's link opens it", async () => {
    const db = database().db;
    startServerOf("ana");
    startServerOf("sam");
    const seen = await whatTheStudentSees(db, {
      userId: studentId,
      courseSlug,
      linkCode: "data103lab1",
    });
    expect(seen.link.kind).toBe("redirect");
    expect(seen.myHub).toMatchObject({ status: "READY", isLaunchable: true });
  });

  it("is suspended at 100 % of its SUSPEND allocation and stopped by the queued reconcile", async () => {
    const db = database().db;
    await giveHubATinySuspendBudget(db, hubId);
    const report = await meterAndPostDay(db, { day: usedUpDay, probe: runtime.probeUsage, hubs });
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    expect(report.suspended).toEqual([hub.slug]);
    expect(hub.status).toBe("SUSPENDED");
    expect(queues.jobsOf(provisionHubJob).at(-1)?.data).toEqual({ hubId, trigger: "suspend" });

    expect(await reconcileQueuedJob()).toMatchObject({ outcome: "stopped" });
    // The release runs nothing (its Deployments at zero through Flux), no server pod is left.
    expect(release().postRenderers).toHaveLength(1);
    expect(release().values.prePuller.continuous.enabled).toBe(false);
    expect(userServerPods()).toEqual([]);
    expect(homeVolumeIds()).toHaveLength(2);
    const ready = await db.hubCondition.findUniqueOrThrow({
      where: { hubId_type: { hubId, type: "Ready" } },
    });
    expect(ready).toMatchObject({ status: "FALSE", reason: "Suspended" });
    // A drift check later keeps it stopped and writes nothing new.
    expect(await reconcileQueuedJob()).toMatchObject({ outcome: "stopped" });
  }, 60_000);

  it("refuses sign-in at the portal, naming whom to ask", async () => {
    const db = database().db;
    const client = await db.hubOidcClient.findUniqueOrThrow({ where: { hubId } });
    const answer = await askToSignIn(identity.portalUrl, {
      clientId: client.clientId,
      redirectUri: client.redirectUris[0]!,
    });
    expect(answer.status).toBe(400);
    const page = await answer.text();
    expect(page).toContain("This hub is suspended");
    expect(page).toContain("Contact your instructor (Prof. Ana Rivera)");
  });

  it("shows the student a suspended hub instead of sending them to it", async () => {
    const db = database().db;
    const seen = await whatTheStudentSees(db, {
      userId: studentId,
      courseSlug,
      linkCode: "data103lab1",
    });
    expect(seen.link).toMatchObject({
      kind: "hub-not-ready",
      hub: { status: "SUSPENDED", description: { label: "Suspended" } },
    });
    expect(seen.myHub).toMatchObject({
      status: "SUSPENDED",
      isLaunchable: false,
      statusDescription: { label: "Suspended" },
    });
  });

  it("keeps metering and billing its home volumes while it is suspended", async () => {
    const db = database().db;
    const report = await meterAndPostDay(db, {
      day: suspendedDay,
      probe: runtime.probeUsage,
      hubs,
    });
    expect(report.hubDays.map((entry) => entry.result.outcome)).toEqual(["posted"]);
    const cost = await db.dailyUsageCost.findUniqueOrThrow({
      where: { hubId_day: { hubId, day: suspendedDay } },
    });
    // No server ran; 20 GiB of homes were there all day.
    expect(cost.nodeMilliHours).toBe(0);
    expect(cost.storageMibDays).toBe(20n * 1024n);
    expect(cost.costCents).toBeGreaterThan(0n);
  }, 60_000);

  it("creates nothing for a hub suspended before anything of it was applied", async () => {
    const db = database().db;
    // The demo's DATA 101 hub has never been reconciled against this cluster.
    const other = await db.hub.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
    await takeHubAction(db, ops, queues, {
      slug: other.slug,
      action: "suspend",
      reason: "Not needed this term",
    });
    expect(await reconcileQueuedJob()).toMatchObject({ outcome: "stopped" });
    expect(
      server.listObjects({
        apiVersion: "helm.toolkit.fluxcd.io/v2",
        kind: "HelmRelease",
        namespace: `hub-${other.slug}`,
      }),
    ).toEqual([]);
  });

  it("resumes after a top-up, with the same home volumes, and signs people in again", async () => {
    const db = database().db;
    const volumesBefore = homeVolumeIds();
    const allocation = await db.allocation.findUniqueOrThrow({ where: { hubId } });
    await topUpHubAllocation(
      db,
      ops,
      { allocationId: allocation.id, amountCents: 500_00n, idempotencyKey: "suspension-k-top-up" },
      hubs,
    );
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("UPDATING");
    expect(queues.jobsOf(provisionHubJob).at(-1)?.data).toEqual({ hubId, trigger: "resume" });
    expect(await reconcileQueuedJob()).toMatchObject({ outcome: "converged" });
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("READY");
    expect(release().postRenderers).toBeUndefined();
    expect(release().values.prePuller.continuous.enabled).toBe(true);
    expect(homeVolumeIds()).toEqual(volumesBefore);

    const client = await db.hubOidcClient.findUniqueOrThrow({ where: { hubId } });
    const answer = await askToSignIn(identity.portalUrl, {
      clientId: client.clientId,
      redirectUri: client.redirectUris[0]!,
    });
    // On to the portal's sign-in, no longer refused.
    expect(answer.status).toBeGreaterThanOrEqual(300);
    expect(answer.status).toBeLessThan(400);
    const seen = await whatTheStudentSees(db, {
      userId: studentId,
      courseSlug,
      linkCode: "data103lab1",
    });
    expect(seen.link.kind).toBe("redirect");
  }, 60_000);
});
