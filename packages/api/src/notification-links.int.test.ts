import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can, loadActor, type Actor } from "@hubfed/auth";
import { createHubBudgetSwitch, postDailyUsage, takeHubAction } from "@hubfed/core";
import { actorFor, seedDemoFederation } from "@hubfed/core/testing";
import { testRedisUrl, useTestDatabase } from "@hubfed/db/testing";
import { createSecretBox } from "@hubfed/identity/secret-box";
import { createInMemoryJobQueues } from "@hubfed/jobs";
import { appRouter } from "./root";
import { createCallerFactory } from "./trpc";

// Every notification links to a page its recipient may open (issue 17): the notifications the
// demo federation, a hub action and a budget running out leave behind, each opened as its
// recipient through the same procedures the page calls (ADR 0009). A link to a page not in the
// table below fails the test until the page is added.

const database = useTestDatabase();
const createCaller = createCallerFactory(appRouter);
const secretBox = createSecretBox(Buffer.alloc(32, 3).toString("base64"));
const queues = createInMemoryJobQueues();
const redis = new Redis(`${testRedisUrl()}/5`);
afterAll(() => redis.disconnect());

function callerFor(actor: Actor) {
  return createCaller({
    db: database().db,
    queues,
    jobInspector: queues,
    secretBox,
    redis,
    verifyLink: () => Promise.resolve({ outcome: "unknown" as const, message: "not checked here" }),
    readRepositoryMaterial: () =>
      Promise.resolve({ ok: false as const, field: "repositoryUrl" as const, message: "no" }),
    identifyHubUser: () => Promise.resolve(null),
    actor,
    requestMetadata: {},
  });
}

type Caller = ReturnType<typeof callerFor>;

/** The portal's pages that notifications link to, and what each page asks the API for. */
const pages: Array<{
  path: RegExp;
  open: (caller: Caller, actor: Actor, match: string[]) => Promise<unknown>;
}> = [
  // Pages every signed-in person has.
  { path: /^\/(invitations|notifications)?$/, open: () => Promise.resolve() },
  {
    path: /^\/ops\/credits$/,
    open: (caller) => caller.credits.overview(),
  },
  {
    path: /^\/ops\/requests\/([^/]+)$/,
    open: async (caller, actor, [id]) => {
      if (!can(actor, "request.review")) throw new Error("the page refuses: not a reviewer");
      return caller.request.get({ requestId: id! });
    },
  },
  {
    path: /^\/requests\/([^/]+)$/,
    open: (caller, _, [id]) => caller.request.get({ requestId: id! }),
  },
  { path: /^\/ops\/hubs\/([^/]+)$/, open: (caller, _, [slug]) => caller.hub.get({ slug: slug! }) },
  {
    path: /^\/courses\/([^/]+)$/,
    open: (caller, _, [slug]) => caller.enrollment.overview({ courseSlug: slug! }),
  },
  {
    path: /^\/courses\/([^/]+)\/schedule$/,
    open: async (caller, _, [slug]) => {
      await caller.enrollment.staffCourse({ courseSlug: slug! });
      return caller.capacity.schedule({ courseSlug: slug! });
    },
  },
  {
    path: /^\/courses\/([^/]+)\/links$/,
    open: (caller, _, [slug]) => caller.link.list({ courseSlug: slug! }),
  },
  {
    path: /^\/courses\/([^/]+)\/assignments\/([^/]+)$/,
    open: (caller, _, [slug, assignment]) =>
      caller.grading.detail({ courseSlug: slug!, assignmentSlug: assignment! }),
  },
];

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  const ops = await actorFor(db, "ops@hubfed.example");
  const hub = await db.hub.update({
    where: { slug: "wvc-data-101-fa26" },
    data: { status: "READY", appliedRevision: 1 },
  });
  // A hub action: the course's staff are told.
  await takeHubAction(db, ops, queues, {
    slug: hub.slug,
    action: "restart",
    reason: "The hub is slow to answer",
  });
  await takeHubAction(db, ops, queues, {
    slug: hub.slug,
    action: "suspend",
    reason: "Maintenance of the cluster",
  });
  // A budget used up: ops, the institution's admin and the course's instructor are told.
  await db.allocation.update({ where: { hubId: hub.id }, data: { budgetCents: 1n } });
  const day = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 45 * 86_400_000);
  await db.usageSample.createMany({
    data: Array.from({ length: 24 }, (_, hour) => ({
      hubId: hub.id,
      sampledAt: new Date(day.getTime() + hour * 3_600_000),
      activeUsers: 5,
      runningServers: 5,
      requestedMemoryMib: 5 * 2048,
      requestedMilliCpu: 5 * 500,
      storageMib: 10_240n,
      source: "test",
    })),
  });
  await postDailyUsage(db, {
    hubs: createHubBudgetSwitch(queues),
    day,
    now: new Date(day.getTime() + 90_000_000),
  });
});

describe("notification links", () => {
  it("lead every recipient to a page they may open", async () => {
    const db = database().db;
    const notifications = await db.notification.findMany({ orderBy: { createdAt: "asc" } });
    const kinds = new Set(notifications.map((notification) => notification.kind));
    // What this test is about is among them.
    for (const kind of ["hub.status-change", "hub.restart", "allocation.alert"])
      expect(kinds, kind).toContain(kind);
    const refused: string[] = [];
    for (const notification of notifications) {
      const href = notification.href ?? "/notifications";
      const page = pages.find((entry) => entry.path.test(href));
      if (!page) {
        refused.push(`${notification.kind} → ${href}: no such page in the table`);
        continue;
      }
      const actor = await loadActor(db, notification.userId);
      if (!actor) throw new Error("a notification for nobody");
      const match = page.path.exec(href)?.slice(1) ?? [];
      await page.open(callerFor(actor), actor, match).catch((error: unknown) => {
        const user = notification.userId;
        refused.push(
          `${notification.kind} → ${href} for ${user}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    }
    expect(refused).toEqual([]);
  });

  it("sends instructors their course's page for budget alerts, not /ops/credits", async () => {
    const db = database().db;
    const instructor = await db.user.findUniqueOrThrow({
      where: { email: "prof.rivera@westvalley.edu" },
    });
    const alerts = await db.notification.findMany({
      where: { kind: "allocation.alert", userId: instructor.id },
    });
    expect(alerts.length).toBeGreaterThan(0);
    expect(new Set(alerts.map((alert) => alert.href))).toEqual(
      new Set(["/courses/wvc-data-101-fa26"]),
    );
    // And that page shows them the course's spend against its allocation.
    const spend = await callerFor((await loadActor(db, instructor.id))!).credits.courseSpend({
      courseSlug: "wvc-data-101-fa26",
    });
    expect(spend.allocations).toHaveLength(1);
    expect(spend.allocations[0]!.burnedPercent).toBeGreaterThanOrEqual(100);
    expect(spend.allocations[0]!.series.length).toBeGreaterThan(0);
    // A student of the course is not shown the money.
    const student = await db.user.findUniqueOrThrow({ where: { email: "student@westvalley.edu" } });
    await expect(
      callerFor((await loadActor(db, student.id))!).credits.courseSpend({
        courseSlug: "wvc-data-101-fa26",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
