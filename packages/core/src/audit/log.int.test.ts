import { describe, expect, it } from "vitest";
import { recordAuditEvent } from "@hubfed/db";
import { useTestDatabase } from "@hubfed/db/testing";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { auditCsv, auditFilterChoices, listAuditEvents } from "./log";

const database = useTestDatabase();

describe("the audit log", () => {
  it("files each event under its subject's institution, even when the event removed the subject", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const hub = await db.hub.findUniqueOrThrow({
      where: { slug: "wvc-data-101-fa26" },
      include: { course: true },
    });
    const pool = await db.creditPool.findFirstOrThrow();
    await db.$transaction(async (tx) => {
      await recordAuditEvent(tx, {
        actorId: null,
        action: "test.hub",
        subjectType: "Hub",
        subjectId: hub.id,
      });
      await recordAuditEvent(tx, {
        actorId: null,
        action: "test.pool",
        subjectType: "CreditPool",
        subjectId: pool.id,
      });
      await recordAuditEvent(tx, {
        actorId: null,
        action: "test.removed-enrollment",
        subjectType: "Enrollment",
        subjectId: "gone-already",
        details: { courseId: hub.courseId },
      });
    });
    const events = await db.auditEvent.findMany({ where: { action: { startsWith: "test." } } });
    const institutionOf = (action: string) =>
      events.find((event) => event.action === action)?.institutionId;
    expect(institutionOf("test.hub")).toBe(hub.course.institutionId);
    expect(institutionOf("test.removed-enrollment")).toBe(hub.course.institutionId);
    expect(institutionOf("test.pool")).toBeNull();
  });

  it("shows ops every event and institution admins only their institution's", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const ops = await actorFor(db, "ops@hubfed.example");
    const admin = await actorFor(db, "it-admin@westvalley.edu");
    const westValley = await db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } });
    const cascade = await db.institution.findUniqueOrThrow({ where: { slug: "cascade" } });
    const cascadeCourse = await db.course.findFirstOrThrow({
      where: { institutionId: cascade.id },
    });
    await db.$transaction((tx) =>
      recordAuditEvent(tx, {
        actorId: null,
        action: "test.cascade-only",
        subjectType: "Course",
        subjectId: cascadeCourse.id,
      }),
    );

    const everything = await listAuditEvents(db, ops, { pageSize: 100 });
    expect(everything.total).toBe(await db.auditEvent.count());
    const theirs = await listAuditEvents(db, admin, { pageSize: 100 });
    expect(theirs.total).toBe(
      await db.auditEvent.count({ where: { institutionId: westValley.id } }),
    );
    expect(theirs.total).toBeGreaterThan(0);
    expect(theirs.items.every((entry) => entry.institution === westValley.name)).toBe(true);
    expect(theirs.items.every((entry) => entry.ipAddress === null)).toBe(true);
    // Asking for another institution's events is refused.
    await expect(listAuditEvents(db, admin, { institutionId: cascade.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await listAuditEvents(db, ops, { action: "test.cascade-only" })).total).toBe(1);
    for (const email of ["prof.rivera@westvalley.edu", "student@westvalley.edu"])
      await expect(listAuditEvents(db, await actorFor(db, email), {})).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    const choices = await auditFilterChoices(db, admin);
    expect(choices.institutions.map((institution) => institution.id)).toEqual([westValley.id]);
    expect(choices.actions).not.toContain("test.cascade-only");
  });

  it("filters by actor, system, action, object and day, and pages newest first", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const ops = await actorFor(db, "ops@hubfed.example");
    const rivera = await db.user.findUniqueOrThrow({
      where: { email: "prof.rivera@westvalley.edu" },
    });
    const hub = await db.hub.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
    const days = ["2026-10-01T12:00:00Z", "2026-10-02T12:00:00Z", "2026-10-03T23:59:00Z"];
    for (const [index, day] of days.entries())
      await db.$transaction(async (tx) => {
        await recordAuditEvent(tx, {
          actorId: index === 1 ? null : rivera.id,
          action: "test.filtered",
          subjectType: "Hub",
          subjectId: hub.id,
        });
        await tx.auditEvent.updateMany({
          where: { action: "test.filtered", occurredAt: { gt: new Date("2026-11-01") } },
          data: { occurredAt: new Date(day) },
        });
      });
    const byRivera = await listAuditEvents(db, ops, { action: "test.filtered", actor: "RIVERA" });
    expect(byRivera.total).toBe(2);
    const bySystem = await listAuditEvents(db, ops, { action: "test.filtered", actor: "system" });
    expect(bySystem.items.map((entry) => entry.actor)).toEqual(["System"]);
    const inclusive = await listAuditEvents(db, ops, {
      action: "test.filtered",
      from: "2026-10-02",
      to: "2026-10-03",
    });
    expect(inclusive.total).toBe(2);
    const byObject = await listAuditEvents(db, ops, {
      subjectType: "Hub",
      subjectId: hub.id,
      action: "test.filtered",
      pageSize: 1,
      page: 1,
    });
    expect(byObject).toMatchObject({ total: 3, pageCount: 3 });
    expect(byObject.items[0]?.occurredAt.toISOString()).toBe("2026-10-03T23:59:00.000Z");
    expect(byObject.items[0]).toMatchObject({
      subjectHref: "/ops/hubs/wvc-data-101-fa26",
      subjectName: "wvc-data-101-fa26",
    });
  });

  it("links each entry to a page about its object that the reader may open", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const course = await db.course.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
    const request = await db.hubRequest.findFirstOrThrow({
      where: { institutionId: course.institutionId },
    });
    const pool = await db.creditPool.findFirstOrThrow();
    await db.$transaction(async (tx) => {
      for (const [subjectType, subjectId, details] of [
        ["Course", course.id, undefined],
        ["Enrollment", "removed-one", { courseId: course.id }],
        ["HubRequest", request.id, undefined],
        ["CreditPool", pool.id, undefined],
      ] as const)
        await recordAuditEvent(tx, {
          actorId: null,
          action: `test.link.${subjectType}`,
          subjectType,
          subjectId,
          details,
        });
    });
    const hrefsFor = async (email: string) =>
      Object.fromEntries(
        (
          await listAuditEvents(db, await actorFor(db, email), {
            action: undefined,
            pageSize: 100,
          })
        ).items
          .filter((entry) => entry.action.startsWith("test.link."))
          .map((entry) => [entry.subjectType, entry.subjectHref]),
      );
    expect(await hrefsFor("ops@hubfed.example")).toEqual({
      Course: "/courses/wvc-data-101-fa26",
      Enrollment: "/courses/wvc-data-101-fa26/roster",
      HubRequest: `/ops/requests/${request.id}`,
      CreditPool: "/ops/credits",
    });
    // An institution admin cannot open the review page (ops only), so their link is the requester's view;
    // the pool is federation-wide and not in their log at all.
    expect(await hrefsFor("it-admin@westvalley.edu")).toEqual({
      Course: "/courses/wvc-data-101-fa26",
      Enrollment: "/courses/wvc-data-101-fa26/roster",
      HubRequest: `/requests/${request.id}`,
    });
  });

  it("refuses malformed filters field by field", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const ops = await actorFor(db, "ops@hubfed.example");
    await expect(listAuditEvents(db, ops, { from: "yesterday" })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["from"], message: "Use a date like 2026-09-01" })],
    });
    await expect(listAuditEvents(db, ops, { from: "2026-02-31" })).rejects.toThrow();
    await expect(
      listAuditEvents(db, ops, { from: "2026-10-05", to: "2026-10-01" }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["to"] })] });
    await expect(listAuditEvents(db, ops, { subjectType: "Password" as never })).rejects.toThrow();
  });

  it("exports the matching events as CSV, with the address for ops only", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const hub = await db.hub.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
    await db.$transaction((tx) =>
      recordAuditEvent(tx, {
        actorId: null,
        action: "test.csv",
        subjectType: "Hub",
        subjectId: hub.id,
        details: { reason: '=HYPERLINK("x")' },
        requestMetadata: { ipAddress: "203.0.113.9" },
      }),
    );
    const forOps = await auditCsv(db, await actorFor(db, "ops@hubfed.example"), {
      action: "test.csv",
    });
    const [header, row] = forOps.csv.trim().split("\n");
    expect(header).toBe(
      "occurred_at,actor,actor_email,action,subject_type,subject_id,subject_name,institution,details,ip_address",
    );
    expect(row).toContain(",System,,test.csv,Hub,");
    expect(row).toContain(",wvc-data-101-fa26,West Valley College,");
    expect(row).toMatch(/203\.0\.113\.9$/);
    const forAdmin = await auditCsv(db, await actorFor(db, "it-admin@westvalley.edu"), {
      action: "test.csv",
    });
    expect(forAdmin.csv).not.toContain("203.0.113.9");
    expect(forAdmin.csv.split("\n")[0]).not.toContain("ip_address");
  });
});
