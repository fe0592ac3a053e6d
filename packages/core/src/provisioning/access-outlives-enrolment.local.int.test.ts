import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { useTestDatabase } from "@hubfed/db/testing";
import { createIdentityRequestHandler } from "@hubfed/identity";
import { createSecretBox } from "@hubfed/identity/secret-box";
import { createInMemoryJobQueues, revokeHubAccessJob } from "@hubfed/jobs";
import {
  createTemporaryHubsDirectory,
  listActiveServers,
  releaseLocalHubsUnder,
} from "@hubfed/runtime-local";
import { HttpBrowser } from "@hubfed/runtime-local/test-browser";
import { changeCourseRole, unenrollFromCourse } from "../enrollment/roster";
import { isHubSigningIn } from "../hubs/lifecycle";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { revokeHubAccess } from "./hub-access";
import { reconcileHub } from "./reconcile";
import { loadHubWithPlacement, runtimeContextFor } from "./runtime";
import { createLocalRuntime } from "./runtimes/local";

// Access outlives enrolment (issue "Hardening", item 3), against the real parts: Debian's
// JupyterHub with the shipped authenticator, signing people in at the portal's own OpenID
// Connect provider (packages/identity over HTTP, on this test's database), provisioned by the
// local runtime. Removing someone from the course, or demoting a TA, must end what they hold on
// the hub — their API token, their running server, their hub session, their admin — through the
// hub-access job; and a hub that missed that call must drop them at its next role refresh.

/** Where this file's hubs live; their accounts and home file systems go with them. */
let hubsDirectory = "";
const database = useTestDatabase();
const queues = createInMemoryJobQueues();
const secretBox = createSecretBox(randomBytes(32).toString("base64"));
const sessionCookie = "hubfed-test-session";
const courseSlug = "ccc-cs-120-fa26";
/** Short, so the refresh path is seen within a test; the federation's is hubSignInRefreshSeconds. */
const authRefreshSeconds = 2;

let portal: Server;
let portalUrl = "";
let runtime: ReturnType<typeof createLocalRuntime>;
let hubId = "";
let hubOrigin = "";
let instructor: Actor;

interface Person {
  userId: string;
  username: string;
  enrollmentId: string;
}

async function enroll(label: string, role: "STUDENT" | "TA"): Promise<Person> {
  const db = database().db;
  const username = `${label}-${randomBytes(3).toString("hex")}`;
  const user = await db.user.create({
    data: { email: `${username}@cascade.edu`, name: label, username },
  });
  const course = await db.course.findUniqueOrThrow({ where: { slug: courseSlug } });
  const enrollment = await db.enrollment.create({
    data: { userId: user.id, courseId: course.id, role },
  });
  return { userId: user.id, username, enrollmentId: enrollment.id };
}

/** A browser signed in to the portal as `person`, then into the hub: lands in their server. */
async function signInToHub(person: Person): Promise<HttpBrowser> {
  const browser = new HttpBrowser();
  browser.setCookie(portalUrl, sessionCookie, person.userId);
  const landing = await browser.follow(await browser.request(`${hubOrigin}/hub/login`), {
    timeoutMs: 90_000,
  });
  expect(new URL(landing.url).pathname).toBe(`/user/${person.username}/tree`);
  await landing.body?.cancel();
  return browser;
}

/** A token of the person's own, made with their hub session as JupyterHub's /hub/token page does. */
async function createToken(browser: HttpBrowser, person: Person): Promise<string> {
  const response = await browser.request(`${hubOrigin}/hub/api/users/${person.username}/tokens`, {
    method: "POST",
    body: JSON.stringify({ note: "from a notebook", expires_in: 3600 }),
    headers: { Referer: `${hubOrigin}/hub/token`, "Content-Type": "application/json" },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

async function statusWithToken(target: string, token: string): Promise<number> {
  const response = await fetch(`${hubOrigin}${target}`, {
    headers: { Authorization: `token ${token}` },
    redirect: "manual",
  });
  await response.body?.cancel();
  return response.status;
}

/** Opens a hub page with the browser's session, following sign-in if the hub asks for it. */
async function openPage(browser: HttpBrowser, hubPath: string): Promise<Response> {
  return browser.follow(await browser.request(`${hubOrigin}${hubPath}`), { timeoutMs: 60_000 });
}

/** Hub-access jobs already run (or dropped) by this file's tests. */
const handledJobIds = new Set<string>();

function takeQueuedRevocations() {
  const jobs = queues.jobsOf(revokeHubAccessJob).filter((job) => !handledJobIds.has(job.id));
  for (const job of jobs) handledJobIds.add(job.id);
  return jobs;
}

/** Runs the hub-access jobs queued since the last call, as the worker does. */
async function runQueuedRevocations(): Promise<string[]> {
  const outcomes: string[] = [];
  for (const job of takeQueuedRevocations()) {
    const result = await revokeHubAccess(database().db, {
      revocationId: job.data.revocationId,
      runtimeFor: () => runtime,
      isLastAttempt: true,
    });
    outcomes.push(result.outcome);
  }
  return outcomes;
}

async function activeServerNames(): Promise<string[]> {
  const hub = await loadHubWithPlacement(database().db, hubId);
  if (!hub) throw new Error("no hub");
  const { token } = await runtime.hubApiAccess(runtimeContextFor(database().db, hub));
  const { ports } = hub.runtimeState as {
    ports: { proxyPublic: number; proxyApi: number; hub: number };
  };
  const servers = await listActiveServers({ ports, publicHost: "127.0.0.1" }, token);
  return servers.servers.map((server) => server.userName);
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  instructor = await actorFor(db, "prof.okafor@cascade.edu");

  // The portal's OpenID Connect provider on this database; "signed in to the portal" is a cookie
  // naming the user, read where the portal reads its next-auth session.
  portal = createServer();
  await new Promise<void>((resolve) => portal.listen(0, "127.0.0.1", resolve));
  portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
  const identity = createIdentityRequestHandler({
    db,
    secretBox,
    portalUrl,
    secretKey: randomBytes(32).toString("base64"),
    hubSignsPeopleIn: isHubSigningIn,
    readPortalSession: (cookies) => {
      const match = new RegExp(`(?:^|; )${sessionCookie}=([^;]+)`).exec(cookies ?? "");
      const userId = match?.[1];
      return Promise.resolve(
        userId
          ? {
              userId,
              username: userId,
              name: null,
              email: null,
              isOperator: false,
              expiresAt: Infinity,
            }
          : undefined,
      );
    },
  });
  portal.on("request", (request, response) => {
    identity.handle(request, response).then(
      (isHandled) => {
        if (isHandled) return;
        response.statusCode = 404;
        response.end("not the provider");
      },
      (error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      },
    );
  });

  runtime = createLocalRuntime({
    db,
    secretBox,
    hubsDirectory: (hubsDirectory = await createTemporaryHubsDirectory("hubfed-access-hubs-")),
    hubEnvironment: process.env,
    portalUrl,
    authRefreshSeconds,
  });
  const hub = await db.hub.findUniqueOrThrow({ where: { slug: courseSlug } });
  hubId = hub.id;
  const outcome = await reconcileHub(db, {
    hubId,
    trigger: "approval",
    runtimeFor: () => runtime,
    workerId: "worker-access",
    isLastAttempt: true,
    readyPollMs: 250,
    readyTimeoutMs: 60_000,
  });
  expect(outcome.outcome).toBe("converged");
  hubOrigin = (await db.hub.findUniqueOrThrow({ where: { id: hubId } })).url ?? "";
}, 120_000);

afterAll(async () => {
  for (const supervisor of runtime.supervisors.values()) await supervisor.stop();
  await releaseLocalHubsUnder(hubsDirectory);
  await new Promise((resolve) => portal.close(resolve));
});

describe("access outlives enrolment, on a real local JupyterHub", () => {
  it("a removed student's token, server and hub session stop working at once", async () => {
    const student = await enroll("removed", "STUDENT");
    const browser = await signInToHub(student);
    const token = await createToken(browser, student);
    expect(await statusWithToken("/hub/api/user", token)).toBe(200);
    expect(await statusWithToken(`/user/${student.username}/api/status`, token)).toBe(200);
    expect(await activeServerNames()).toContain(student.username);

    await unenrollFromCourse(database().db, instructor, queues, {
      courseSlug,
      enrollmentId: student.enrollmentId,
    });
    expect(await runQueuedRevocations()).toEqual(["removed"]);

    expect(await statusWithToken("/hub/api/user", token)).toBe(403);
    expect(await activeServerNames()).not.toContain(student.username);
    expect(await statusWithToken(`/user/${student.username}/api/status`, token)).not.toBe(200);
    // The hub session names nobody now: the hub sends them to sign in, which it refuses.
    const refused = await openPage(browser, "/hub/home");
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("You are not enrolled in CS 120");
    const revocation = await database().db.hubAccessRevocation.findFirstOrThrow({
      where: { userId: student.userId },
    });
    expect(revocation).toMatchObject({ status: "DONE", attempts: 1, lastError: null });
  }, 180_000);

  it("a demoted TA is no longer admin, and their old token no longer works", async () => {
    const ta = await enroll("demoted", "TA");
    const browser = await signInToHub(ta);
    const token = await createToken(browser, ta);
    // Admin: every user's record and the admin page.
    expect(await statusWithToken("/hub/api/users", token)).toBe(200);
    expect((await openPage(browser, "/hub/admin")).status).toBe(200);

    await changeCourseRole(database().db, instructor, queues, {
      courseSlug,
      enrollmentId: ta.enrollmentId,
      role: "STUDENT",
    });
    expect(await runQueuedRevocations()).toEqual(["removed"]);

    expect(await statusWithToken("/hub/api/users", token)).toBe(403);
    expect(await statusWithToken("/hub/api/user", token)).toBe(403);
    // Still a student: signing in again works, as a user without admin.
    const again = await openPage(browser, "/hub/home");
    expect(again.status).toBe(200);
    await again.body?.cancel();
    expect((await openPage(browser, "/hub/admin")).status).toBe(403);
    const fresh = await createToken(browser, ta);
    expect(await statusWithToken("/hub/api/users", fresh)).toBe(403);
    expect(await statusWithToken("/hub/api/user", fresh)).toBe(200);
  }, 180_000);

  it("a hub that missed the removal drops the person at its next role refresh", async () => {
    const student = await enroll("missed", "STUDENT");
    const ta = await enroll("missed-ta", "TA");
    const studentBrowser = await signInToHub(student);
    const studentToken = await createToken(studentBrowser, student);
    const taBrowser = await signInToHub(ta);
    expect((await openPage(taBrowser, "/hub/admin")).status).toBe(200);

    await unenrollFromCourse(database().db, instructor, queues, {
      courseSlug,
      enrollmentId: student.enrollmentId,
    });
    await changeCourseRole(database().db, instructor, queues, {
      courseSlug,
      enrollmentId: ta.enrollmentId,
      role: "STUDENT",
    });
    // The hub never hears from the worker (its jobs are dropped here): only its refresh is left.
    expect(takeQueuedRevocations()).toHaveLength(2);
    await sleep((authRefreshSeconds + 1) * 1000);

    // The portal revoked the student's tokens with the enrollment: the refresh fails, the token
    // stops working and the hub session ends in the refusal page.
    expect(await statusWithToken("/hub/api/user", studentToken)).toBe(403);
    const refused = await openPage(studentBrowser, "/hub/home");
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("You are not enrolled in CS 120");
    // The TA's refresh reads their new role: still in, no longer admin.
    expect((await openPage(taBrowser, "/hub/admin")).status).toBe(403);
    const home = await openPage(taBrowser, "/hub/home");
    expect(home.status).toBe(200);
    await home.body?.cancel();
  }, 180_000);
});
