import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { useTestDatabase } from "@hubfed/db/testing";
import { createInMemoryJobQueues, provisionHubJob } from "@hubfed/jobs";
import { createSecretBox } from "@hubfed/identity/secret-box";
import { portalSessionCookie } from "@hubfed/identity/portal-session-cookie";
import {
  createTemporaryHubsDirectory,
  listLocalHubProcesses,
  releaseLocalHubsUnder,
  localHubPaths,
} from "@hubfed/runtime-local";
import { HttpBrowser } from "@hubfed/runtime-local/test-browser";
import { topUpHubAllocation } from "../credits/hub-allocation-top-up";
import { createHubBudgetSwitch } from "../hubs/budget-switch";
import { approveRequest } from "../requests/approval";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import {
  askToSignIn,
  giveHubATinySuspendBudget,
  meterAndPostDay,
  publishTestLink,
  startPortalIdentity,
  testNextAuthSecret,
  whatTheStudentSees,
  type PortalIdentity,
} from "../testing/suspension";
import { reconcileHub } from "./reconcile";
import { createLocalRuntime } from "./runtimes/local";

// Suspended means stopped, on the local runtime (issue 17), with a real JupyterHub signing people
// in at the portal's real OpenID Connect provider: a student signs in and works; the hub's
// SUSPEND-policy allocation reaches 100 % and the daily posting suspends it; the queued reconcile
// stops JupyterHub and the student's server; the provider refuses sign-in naming the instructor;
// the link and My hubs say "Suspended"; the homes are still metered and billed; a top-up brings
// the hub back and the student finds their files.

const database = useTestDatabase();
const queues = createInMemoryJobQueues();
const hubs = createHubBudgetSwitch(queues);
const secretKey = randomBytes(32).toString("base64");
const secretBox = createSecretBox(secretKey);
const dayMs = 86_400_000;
const today = new Date(Math.floor(Date.now() / dayMs) * dayMs);
// Before the demo's month of usage history, so these days are the test's own.
const usedUpDay = new Date(today.getTime() - 50 * dayMs);
const suspendedDay = new Date(today.getTime() - 49 * dayMs);
const notes = "My analysis of the lab, week 1.";

let identity: PortalIdentity;
let runtime: ReturnType<typeof createLocalRuntime>;
let hubsDirectory = "";
let ops: Actor;
let hubId = "";
let hubUrl = "";
let courseSlug = "";
let studentId = "";
let instructorName = "";
let dataDirectory = "";

function reconcileQueuedJob() {
  const job = queues.jobsOf(provisionHubJob).at(-1);
  if (!job) throw new Error("no reconcile was queued");
  return reconcileHub(database().db, {
    hubId: job.data.hubId,
    trigger: job.data.trigger,
    runtimeFor: () => runtime,
    workerId: "worker-l",
    isLastAttempt: true,
    readyPollMs: 250,
    readyTimeoutMs: 60_000,
  });
}

/** The student, signed in to the portal, opens the hub: sign-in at the portal, then their server. */
async function studentOpensTheHub(): Promise<{ browser: HttpBrowser; landing: Response }> {
  const browser = new HttpBrowser();
  const session = await portalSessionCookie(studentId, testNextAuthSecret);
  browser.setCookie(identity.portalUrl, session.name, session.value);
  const landing = await browser.follow(await browser.request(`${hubUrl}/hub/login`), {
    timeoutMs: 90_000,
  });
  return { browser, landing };
}

async function studentHome(): Promise<string> {
  const homes = localHubPaths(dataDirectory).homes;
  const [home] = await readdir(homes);
  if (!home) throw new Error("the student has no home yet");
  return path.join(homes, home);
}

async function hubAnswers(): Promise<boolean> {
  return fetch(`${hubUrl}/hub/api/`, { signal: AbortSignal.timeout(2_000) }).then(
    (response) => response.ok,
    () => false,
  );
}

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  // Ports of its own: other test files start local hubs from the region's range at the same time.
  await db.cluster.updateMany({
    where: { slug: "local-vm" },
    data: { portRangeStart: 19_500, portRangeEnd: 19_599 },
  });
  identity = await startPortalIdentity(db, secretBox, secretKey);
  hubsDirectory = await createTemporaryHubsDirectory("hubfed-suspension-");
  runtime = createLocalRuntime({
    db,
    secretBox,
    hubsDirectory,
    hubEnvironment: process.env,
    portalUrl: identity.portalUrl,
  });
  ops = await actorFor(db, "ops@hubfed.example");
  // The seeded request waiting for review (CS 220 at Cascade), approved onto the local VM.
  const request = await db.hubRequest.findFirstOrThrow({ where: { status: "SUBMITTED" } });
  const cluster = await db.cluster.findFirstOrThrow({ where: { slug: "local-vm" } });
  const pool = await db.creditPool.findUniqueOrThrow({ where: { slug: "cascade-onprem" } });
  const { hub } = await approveRequest(
    { db, actor: ops, queues },
    { requestId: request.id, clusterId: cluster.id, creditPoolId: pool.id },
  );
  hubId = hub.id;
  const course = await db.course.findUniqueOrThrow({
    where: { id: hub.courseId },
    include: { enrollments: { where: { role: "INSTRUCTOR" }, include: { user: true } } },
  });
  courseSlug = course.slug;
  instructorName = course.enrollments[0]?.user.name ?? "";
  const student = await db.user.findUniqueOrThrow({ where: { email: "student@westvalley.edu" } });
  studentId = student.id;
  await db.enrollment.create({
    data: { userId: student.id, courseId: course.id, role: "STUDENT" },
  });
  await publishTestLink(db, { courseId: course.id, code: "cs220lab1" });
  const outcome = await reconcileHub(db, {
    hubId,
    trigger: "approval",
    runtimeFor: () => runtime,
    workerId: "worker-l",
    isLastAttempt: true,
    readyPollMs: 250,
    readyTimeoutMs: 60_000,
  });
  expect(outcome.outcome).toBe("converged");
  const provisioned = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
  hubUrl = provisioned.url ?? "";
  dataDirectory = (provisioned.runtimeState as { dataDirectory: string }).dataDirectory;
}, 120_000);

afterAll(async () => {
  for (const supervisor of runtime?.supervisors.values() ?? []) await supervisor.stop();
  await identity?.close();
  if (hubsDirectory) await releaseLocalHubsUnder(hubsDirectory);
  if (hubsDirectory) await rm(hubsDirectory, { recursive: true, force: true });
});

describe("a suspended hub on the local runtime", () => {
  it("signs the student in through the portal and starts their server, where they save work", async () => {
    const db = database().db;
    const { landing } = await studentOpensTheHub();
    expect(landing.status).toBe(200);
    expect(new URL(landing.url).pathname).toMatch(/^\/user\/jordan-lee\//);
    const home = await studentHome();
    await writeFile(path.join(home, "notes.txt"), notes);
    // A data set beside it: 8 GiB as the homes are measured (a sparse file).
    await writeFile(path.join(home, "dataset.bin"), "");
    await truncate(path.join(home, "dataset.bin"), 8 * 1024 ** 3);
    expect((await listLocalHubProcesses(dataDirectory)).userServerPids).toHaveLength(1);
    const seen = await whatTheStudentSees(db, {
      userId: studentId,
      courseSlug,
      linkCode: "cs220lab1",
    });
    expect(seen.link.kind).toBe("redirect");
  }, 120_000);

  it("is suspended at 100 % of its SUSPEND allocation, and the queued reconcile stops everything", async () => {
    const db = database().db;
    await giveHubATinySuspendBudget(db, hubId);
    const report = await meterAndPostDay(db, { day: usedUpDay, probe: runtime.probeUsage, hubs });
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    expect(report.suspended).toEqual([hub.slug]);
    expect(hub.status).toBe("SUSPENDED");
    // The day was metered with the student's server running.
    expect(
      (
        await db.dailyUsageCost.findUniqueOrThrow({
          where: { hubId_day: { hubId, day: usedUpDay } },
        })
      ).nodeMilliHours,
    ).toBeGreaterThan(0);
    expect(queues.jobsOf(provisionHubJob).at(-1)?.data).toEqual({ hubId, trigger: "suspend" });

    expect(await reconcileQueuedJob()).toMatchObject({ outcome: "stopped" });
    expect(await listLocalHubProcesses(dataDirectory)).toEqual({ pids: [], userServerPids: [] });
    expect(await hubAnswers()).toBe(false);
    // The student's files are where they were.
    expect(await readFile(path.join(await studentHome(), "notes.txt"), "utf8")).toBe(notes);
  }, 120_000);

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
    expect(instructorName).not.toBe("");
    expect(page).toContain(`Contact your instructor (${instructorName})`);
  });

  it("shows the student a suspended hub instead of sending them to it", async () => {
    const db = database().db;
    const seen = await whatTheStudentSees(db, {
      userId: studentId,
      courseSlug,
      linkCode: "cs220lab1",
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

  it("keeps metering and billing the homes while it is suspended", async () => {
    const db = database().db;
    const report = await meterAndPostDay(db, {
      day: suspendedDay,
      probe: runtime.probeUsage,
      hubs,
      samplesPerDay: 24,
    });
    expect(report.hubDays.map((entry) => entry.result.outcome)).toEqual(["posted"]);
    const cost = await db.dailyUsageCost.findUniqueOrThrow({
      where: { hubId_day: { hubId, day: suspendedDay } },
    });
    expect(cost.nodeMilliHours).toBe(0);
    expect(cost.storageMibDays).toBeGreaterThanOrEqual(8n * 1024n);
    expect(cost.costCents).toBeGreaterThan(0n);
    // Metering a stopped hub did not start anything.
    expect((await listLocalHubProcesses(dataDirectory)).pids).toEqual([]);
  }, 120_000);

  it("resumes after a top-up, and the student signs in again to find their files", async () => {
    const db = database().db;
    const allocation = await db.allocation.findUniqueOrThrow({ where: { hubId } });
    await topUpHubAllocation(
      db,
      ops,
      { allocationId: allocation.id, amountCents: 500_00n, idempotencyKey: "suspension-l-top-up" },
      hubs,
    );
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("UPDATING");
    expect(queues.jobsOf(provisionHubJob).at(-1)?.data).toEqual({ hubId, trigger: "resume" });
    expect(await reconcileQueuedJob()).toMatchObject({ outcome: "converged" });
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("READY");
    expect(await hubAnswers()).toBe(true);

    const { browser, landing } = await studentOpensTheHub();
    expect(landing.status).toBe(200);
    const contents = await browser.request(`${hubUrl}/user/jordan-lee/api/contents/notes.txt`);
    expect(contents.status).toBe(200);
    expect(((await contents.json()) as { content: string }).content).toBe(notes);
    expect((await stat(path.join(await studentHome(), "dataset.bin"))).size).toBe(8 * 1024 ** 3);
    expect(existsSync(localHubPaths(dataDirectory).database)).toBe(true);
  }, 180_000);
});
