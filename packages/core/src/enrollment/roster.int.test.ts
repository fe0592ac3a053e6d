import { beforeAll, describe, expect, it } from "vitest";
import { createInMemoryJobQueues } from "@hubfed/jobs";
import { actorFor } from "../testing/demo-federation";
import { createJoinCode, joinWithCode } from "./join-codes";
import { launchCourseHub } from "./launch";
import { leaveCourse, listRoster, unenrollFromCourse } from "./roster";
import { appErrorOf, createHub, createStudent, useDemoFederation } from "./test-fixtures";

const { database, instructor } = useDemoFederation();
const courseSlug = "wvc-data-101-fa26";
const queues = createInMemoryJobQueues();

beforeAll(async () => {
  await database().db.hub.update({
    where: { slug: courseSlug },
    data: { status: "READY", url: "http://127.0.0.1:18000" },
  });
});

describe("roster and unenrolling", () => {
  it("lists the roster for staff, with roles", async () => {
    const db = database().db;
    const ta = await actorFor(db, "ta.chen@westvalley.edu");
    const roster = await listRoster(db, ta, { courseSlug });
    expect(roster.canManage).toBe(false);
    expect(roster.items.map((entry) => [entry.username, entry.role])).toEqual(
      expect.arrayContaining([
        ["ana-rivera", "INSTRUCTOR"],
        ["sam-chen", "TA"],
        ["jordan-lee", "STUDENT"],
      ]),
    );
    // A student of the course knows it exists: the roster is refused, not hidden.
    const student = await actorFor(db, "student@westvalley.edu");
    await expect(listRoster(db, student, { courseSlug })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("pages a large course in the database, searches all of it, and counts every role", async () => {
    const db = database().db;
    const course = await db.course.findUniqueOrThrow({ where: { slug: courseSlug } });
    const before = await listRoster(db, instructor(), { courseSlug });
    const students = await Promise.all(
      Array.from({ length: 120 }, (_, index) =>
        createStudent(db, `paging-${String(index).padStart(3, "0")}`),
      ),
    );
    await db.enrollment.createMany({
      data: students.map(({ user }) => ({ userId: user.id, courseId: course.id, role: "STUDENT" })),
    });
    try {
      const first = await listRoster(db, instructor(), { courseSlug, pageSize: 50 });
      expect(first.total).toBe(before.total + 120);
      expect(first.pageCount).toBe(Math.ceil(first.total / 50));
      expect(first.items).toHaveLength(50);
      expect(first.counts.STUDENT).toBe(before.counts.STUDENT + 120);
      // Staff come first, then students; pages neither overlap nor skip anyone.
      expect(first.items[0]!.role).toBe("INSTRUCTOR");
      const seen = new Set<string>();
      for (let page = 1; page <= first.pageCount; page++) {
        const rows = await listRoster(db, instructor(), { courseSlug, pageSize: 50, page });
        for (const row of rows.items) seen.add(row.enrollmentId);
      }
      expect(seen.size).toBe(first.total);

      // The search covers the whole course, not the page on screen; case does not matter.
      const found = await listRoster(db, instructor(), { courseSlug, search: "PAGING-11" });
      expect(found.items.map((row) => row.username.slice(0, "paging-11x".length)).sort()).toEqual(
        Array.from({ length: 10 }, (_, index) => `paging-11${index}`),
      );
      const staff = await listRoster(db, instructor(), { courseSlug, role: "TA" });
      expect(staff.items.every((row) => row.role === "TA")).toBe(true);
      expect(staff.total).toBe(first.counts.TA);
      await expect(listRoster(db, instructor(), { courseSlug, pageSize: 5_000 })).rejects.toThrow();
    } finally {
      await db.enrollment.deleteMany({
        where: { courseId: course.id, userId: { in: students.map(({ user }) => user.id) } },
      });
    }
  });

  it("removes a student: the row and its sticky hub go, with an audit event and a notice", async () => {
    const db = database().db;
    const code = await createJoinCode(db, instructor(), { courseSlug });
    const { user, actor } = await createStudent(db);
    await joinWithCode(db, actor, code.code);
    expect(await launchCourseHub(db, actor, courseSlug)).toEqual({
      kind: "redirect",
      url: "http://127.0.0.1:18000/hub/",
    });
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: user.id } });
    expect(enrollment.hubId).not.toBeNull();
    expect(enrollment.lastLaunchedAt).not.toBeNull();

    await unenrollFromCourse(db, instructor(), queues, { courseSlug, enrollmentId: enrollment.id });
    expect(await db.enrollment.count({ where: { userId: user.id } })).toBe(0);
    expect(
      await db.auditEvent.count({
        where: { action: "enrollment.remove", subjectId: enrollment.id },
      }),
    ).toBe(1);
    expect(
      await db.notification.count({ where: { userId: user.id, kind: "enrollment.remove" } }),
    ).toBe(1);
    await expect(launchCourseHub(db, actor, courseSlug)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("lets a student leave, and never leaves a course without an instructor", async () => {
    const db = database().db;
    const code = await createJoinCode(db, instructor(), { courseSlug });
    const { user, actor } = await createStudent(db);
    await joinWithCode(db, actor, code.code);
    await leaveCourse(db, actor, queues, courseSlug);
    expect(await db.enrollment.count({ where: { userId: user.id } })).toBe(0);
    expect(
      await db.auditEvent.count({ where: { action: "enrollment.leave", actorId: user.id } }),
    ).toBe(1);

    const own = await db.enrollment.findFirstOrThrow({
      where: { userId: instructor().userId, course: { slug: courseSlug } },
    });
    const refusal = await appErrorOf(
      unenrollFromCourse(db, instructor(), queues, { courseSlug, enrollmentId: own.id }),
    );
    expect(refusal.code).toBe("CONFLICT");
    expect(refusal.message).toMatch(/at least one instructor/);
    await expect(leaveCourse(db, instructor(), queues, courseSlug)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(await db.enrollment.count({ where: { id: own.id } })).toBe(1);
  });

  it("refuses a TA removing people, and removal from another course's roster", async () => {
    const db = database().db;
    const ta = await actorFor(db, "ta.chen@westvalley.edu");
    const jordan = await db.enrollment.findFirstOrThrow({
      where: { user: { email: "student@westvalley.edu" }, course: { slug: courseSlug } },
    });
    await expect(
      unenrollFromCourse(db, ta, queues, { courseSlug, enrollmentId: jordan.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const cs120 = await db.enrollment.findFirstOrThrow({
      where: { user: { email: "student@westvalley.edu" }, course: { slug: "ccc-cs-120-fa26" } },
    });
    await expect(
      unenrollFromCourse(db, instructor(), queues, { courseSlug, enrollmentId: cs120.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("keeps a student on their sticky hub and shows the status page while it is not ready", async () => {
    const db = database().db;
    await createHub(db, {
      courseSlug,
      clusterSlug: "gcp-gke-1",
      slug: "wvc-data-101-fa26-s2",
      status: "READY",
      weight: 100,
    });
    const students = await Promise.all(Array.from({ length: 12 }, () => createStudent(db)));
    const code = await createJoinCode(db, instructor(), { courseSlug });
    const firstLaunch = new Map<string, string>();
    for (const { actor } of students) {
      await joinWithCode(db, actor, code.code);
      const decision = await launchCourseHub(db, actor, courseSlug);
      expect(decision.kind).toBe("redirect");
      if (decision.kind === "redirect") firstLaunch.set(actor.userId, decision.url);
    }
    // Both sections take people.
    expect(new Set(firstLaunch.values()).size).toBe(2);
    for (const { actor } of students) {
      const again = await launchCourseHub(db, actor, courseSlug);
      expect(again).toEqual({ kind: "redirect", url: firstLaunch.get(actor.userId) });
    }
    const onSection = students.find(({ actor }) => firstLaunch.get(actor.userId)?.includes("s2"));
    await db.hub.update({ where: { slug: "wvc-data-101-fa26-s2" }, data: { status: "UPDATING" } });
    const decision = await launchCourseHub(db, onSection?.actor ?? instructor(), courseSlug);
    expect(decision).toMatchObject({
      kind: "not-ready",
      hub: { slug: "wvc-data-101-fa26-s2", description: { label: "Updating" } },
    });
  });
});
