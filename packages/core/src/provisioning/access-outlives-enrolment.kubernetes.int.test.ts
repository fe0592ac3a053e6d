import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { useTestDatabase } from "@hubfed/db/testing";
import { createSecretBox } from "@hubfed/identity/secret-box";
import { createInMemoryJobQueues, revokeHubAccessJob } from "@hubfed/jobs";
import { applyObjects, connectToCluster } from "@hubfed/kube";
import { startKubernetesTestServer, type KubernetesTestServer } from "@hubfed/kube/test-server";
import { listHubAccessChanges, retryHubAccessChange } from "../enrollment/hub-access";
import { changeCourseRole, unenrollFromCourse } from "../enrollment/roster";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { revokeHubAccess } from "./hub-access";
import { reconcileHub } from "./reconcile";
import { createKubernetesRuntime } from "./runtimes/kubernetes";

// Access outlives enrolment on the Kubernetes runtime: the hub is reconciled onto the in-repo
// Kubernetes API test server, the chart's Secret `hub` holds the portal service's token (put
// there as Helm would), and a stand-in JupyterHub speaks the REST API over HTTP (a Zero to
// JupyterHub hub needs a real cluster). The worker's job must reach the hub with that token, and
// a hub it cannot reach must end in a visible failed state that staff can retry.

const database = useTestDatabase();
const queues = createInMemoryJobQueues();
const secretBox = createSecretBox(randomBytes(32).toString("base64"));
const portalToken = randomBytes(24).toString("hex");
const courseSlug = "wvc-data-101-fa26";
const namespace = `hub-${courseSlug}`;

let kubernetes: KubernetesTestServer;
let runtime: ReturnType<typeof createKubernetesRuntime>;
let instructor: Actor;
let ops: Actor;

/** The stand-in hub: its users, and every REST call it answered. */
const hub = {
  server: undefined as Server | undefined,
  origin: "",
  users: new Set<string>(),
  calls: [] as Array<{ method: string; path: string; authorization: string | undefined }>,
  /** Answers the next DELETE of this user with JupyterHub's "still stopping" 400. */
  stoppingOnce: new Set<string>(),
};
/** Where the runtime sends the hub's REST calls; a test points it elsewhere to make it fail. */
let hubOrigin = "";

function answerAsJupyterHub(request: IncomingMessage): { status: number; body?: unknown } {
  hub.calls.push({
    method: request.method ?? "",
    path: request.url ?? "",
    authorization: request.headers.authorization,
  });
  if (request.headers.authorization !== `token ${portalToken}`)
    return { status: 403, body: { status: 403, message: "Missing or invalid credentials" } };
  const match = /^\/hub\/api\/users\/([^/?]+)$/.exec(request.url ?? "");
  if (request.method !== "DELETE" || !match?.[1]) return { status: 404, body: { status: 404 } };
  const name = decodeURIComponent(match[1]);
  if (hub.stoppingOnce.delete(name))
    return {
      status: 400,
      body: {
        status: 400,
        message: `${name}'s server is in the process of stopping, please wait.`,
      },
    };
  if (!hub.users.delete(name)) return { status: 404, body: { status: 404, message: "Not Found" } };
  return { status: 204 };
}

async function runQueuedRevocations(isLastAttempt = true) {
  const outcomes: Array<string> = [];
  for (const job of queues.jobsOf(revokeHubAccessJob).filter((job) => !handled.has(job.id))) {
    handled.add(job.id);
    try {
      const result = await revokeHubAccess(database().db, {
        revocationId: job.data.revocationId,
        runtimeFor: () => runtime,
        isLastAttempt,
      });
      outcomes.push(result.outcome);
    } catch (error) {
      outcomes.push(`failed: ${(error as Error).message}`);
    }
  }
  return outcomes;
}
const handled = new Set<string>();

async function enroll(label: string, role: "STUDENT" | "TA") {
  const db = database().db;
  const username = `${label}-${randomBytes(3).toString("hex")}`;
  const user = await db.user.create({
    data: { email: `${username}@westvalley.edu`, name: label, username },
  });
  const course = await db.course.findUniqueOrThrow({ where: { slug: courseSlug } });
  const enrollment = await db.enrollment.create({
    data: { userId: user.id, courseId: course.id, role },
  });
  hub.users.add(username);
  return { userId: user.id, username, enrollmentId: enrollment.id };
}

beforeAll(async () => {
  const db = database().db;
  kubernetes = await startKubernetesTestServer({ controller: { isEnabled: true, delayMs: 20 } });
  await seedDemoFederation(db);
  await db.cluster.updateMany({
    where: { region: { slug: "us-west" } },
    data: { apiServerUrl: kubernetes.url },
  });
  instructor = await actorFor(db, "prof.rivera@westvalley.edu");
  ops = await actorFor(db, "ops@hubfed.example");
  hub.server = createServer((request, response) => {
    request.resume();
    const answer = answerAsJupyterHub(request);
    response.statusCode = answer.status;
    if (answer.body !== undefined) response.setHeader("content-type", "application/json");
    response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => hub.server?.listen(0, "127.0.0.1", resolve));
  hub.origin = `http://127.0.0.1:${(hub.server.address() as AddressInfo).port}`;
  hubOrigin = hub.origin;
  runtime = createKubernetesRuntime({
    db,
    secretBox,
    portalUrl: "https://portal.hubfed.example.org",
    ingressControllerNamespace: "ingress-nginx",
    hubOriginFor: () => hubOrigin,
  });
  const seeded = await db.hub.findUniqueOrThrow({ where: { slug: courseSlug } });
  const outcome = await reconcileHub(db, {
    hubId: seeded.id,
    trigger: "approval",
    runtimeFor: () => runtime,
    workerId: "worker-access",
    isLastAttempt: true,
    readyPollMs: 50,
    readyTimeoutMs: 10_000,
  });
  expect(outcome.outcome).toBe("converged");
});

afterAll(async () => {
  await new Promise((resolve) => hub.server?.close(resolve));
  await kubernetes.stop();
});

/** What the chart does at install: the portal service's generated token in Secret `hub`. */
async function putChartSecret() {
  await applyObjects(connectToCluster("test", { apiServerUrl: kubernetes.url }), [
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "hub", namespace },
      data: { "hub.services.portal.apiToken": Buffer.from(portalToken).toString("base64") },
    },
  ]);
}

describe("access outlives enrolment, on the Kubernetes runtime", () => {
  it("waits for the chart's token, then removes the person with it", async () => {
    const student = await enroll("kube-student", "STUDENT");
    await unenrollFromCourse(database().db, instructor, queues, {
      courseSlug,
      enrollmentId: student.enrollmentId,
    });
    // Before the chart made its Secret there is no token: a failure, retried by the queue.
    expect(await runQueuedRevocations(false)).toEqual([
      `failed: Secret ${namespace}/hub holds no portal service token yet (the chart creates it)`,
    ]);
    const pending = await database().db.hubAccessRevocation.findFirstOrThrow({
      where: { userId: student.userId },
    });
    expect(pending).toMatchObject({ status: "PENDING", attempts: 1, reason: "UNENROLLED" });

    await putChartSecret();
    await retryHubAccessChange(database().db, instructor, queues, {
      courseSlug,
      revocationId: pending.id,
    });
    expect(await runQueuedRevocations()).toEqual(["removed"]);
    expect(hub.calls.at(-1)).toEqual({
      method: "DELETE",
      path: `/hub/api/users/${student.username}`,
      authorization: `token ${portalToken}`,
    });
    expect(hub.users.has(student.username)).toBe(false);
    expect(
      await database().db.hubAccessRevocation.findUniqueOrThrow({ where: { id: pending.id } }),
    ).toMatchObject({ status: "DONE", attempts: 2, lastError: null });
  });

  it("removes a demoted TA, coming back for a server that was still stopping", async () => {
    await putChartSecret();
    const ta = await enroll("kube-ta", "TA");
    hub.stoppingOnce.add(ta.username);
    await changeCourseRole(database().db, instructor, queues, {
      courseSlug,
      enrollmentId: ta.enrollmentId,
      role: "STUDENT",
    });
    const [first] = await runQueuedRevocations(false);
    expect(first).toMatch(/HTTP 400 .*in the process of stopping/);
    const row = await database().db.hubAccessRevocation.findFirstOrThrow({
      where: { userId: ta.userId },
    });
    expect(row).toMatchObject({ status: "PENDING", reason: "ROLE_CHANGED" });
    // The queue's next try.
    expect(
      await revokeHubAccess(database().db, {
        revocationId: row.id,
        runtimeFor: () => runtime,
        isLastAttempt: false,
      }),
    ).toEqual({ outcome: "removed", hubSlug: courseSlug });
    expect(hub.users.has(ta.username)).toBe(false);
  });

  it("ends in a visible failed state when the hub cannot be reached, and staff can retry", async () => {
    await putChartSecret();
    const student = await enroll("kube-unreachable", "STUDENT");
    // Nothing listens on port 9 (discard) of the loopback.
    hubOrigin = "http://127.0.0.1:9";
    try {
      await unenrollFromCourse(database().db, instructor, queues, {
        courseSlug,
        enrollmentId: student.enrollmentId,
      });
      const [outcome] = await runQueuedRevocations(true);
      expect(outcome).toMatch(/^failed: DELETE http:\/\/127\.0\.0\.1:9\/hub\/api\/users\//);
    } finally {
      hubOrigin = hub.origin;
    }
    const failed = await database().db.hubAccessRevocation.findFirstOrThrow({
      where: { userId: student.userId },
    });
    expect(failed).toMatchObject({ status: "FAILED", attempts: 1 });

    // Staff see it in plain words; operators also see where it failed.
    const forStaff = await listHubAccessChanges(database().db, instructor, courseSlug);
    const staffEntry = forStaff.find((entry) => entry.id === failed.id);
    expect(staffEntry).toMatchObject({ status: "FAILED", detail: null });
    expect(staffEntry?.summary).toMatch(/could not be reached/);
    expect(staffEntry?.summary).not.toMatch(/127\.0\.0\.1|DELETE|HTTP/);
    const forOps = await listHubAccessChanges(database().db, ops, courseSlug);
    expect(forOps.find((entry) => entry.id === failed.id)?.detail).toMatch(/127\.0\.0\.1:9/);

    await retryHubAccessChange(database().db, instructor, queues, {
      courseSlug,
      revocationId: failed.id,
    });
    expect(await runQueuedRevocations()).toEqual(["removed"]);
    await expect(
      retryHubAccessChange(database().db, instructor, queues, {
        courseSlug,
        revocationId: failed.id,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("does not take an ingress's 404 for a hub that no longer knows the person", async () => {
    await putChartSecret();
    const student = await enroll("kube-ingress", "STUDENT");
    const ingress = createServer((request, response) => {
      request.resume();
      response.statusCode = 404;
      response.setHeader("content-type", "text/html");
      response.end("<html><body>default backend - 404</body></html>");
    });
    await new Promise<void>((resolve) => ingress.listen(0, "127.0.0.1", resolve));
    hubOrigin = `http://127.0.0.1:${(ingress.address() as AddressInfo).port}`;
    try {
      await unenrollFromCourse(database().db, instructor, queues, {
        courseSlug,
        enrollmentId: student.enrollmentId,
      });
      const [outcome] = await runQueuedRevocations(true);
      expect(outcome).toMatch(/HTTP 404 <html>/);
    } finally {
      hubOrigin = hub.origin;
      await new Promise((resolve) => ingress.close(resolve));
    }
    expect(
      await database().db.hubAccessRevocation.findFirstOrThrow({
        where: { userId: student.userId },
      }),
    ).toMatchObject({ status: "FAILED" });
  });
});
