import { beforeAll, describe, expect, it } from "vitest";
import { actorFor } from "../testing/demo-federation";
import { appErrorOf, useDemoFederation } from "../enrollment/test-fixtures";
import { addImportantDate, getCourseSchedule, removeImportantDate, saveMeetings } from "./calendar";
import { decideCapacityWindow, listPendingCapacityWindows, requestCapacityWindow } from "./windows";

const { database, instructor } = useDemoFederation();
const courseSlug = "wvc-data-101-fa26";

/** A local date-time in the course's zone, `days` from today. */
function localInDays(days: number, time: string): string {
  const date = new Date(Date.now() + days * 86_400_000);
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Los_Angeles" }).format(date);
  return `${day}T${time}`;
}

beforeAll(async () => {
  // The course runs from a month ago to two months ahead, whatever today is.
  await database().db.course.update({
    where: { slug: courseSlug },
    data: {
      startDate: new Date(`${localInDays(-30, "00:00").slice(0, 10)}T00:00:00Z`),
      endDate: new Date(`${localInDays(60, "00:00").slice(0, 10)}T00:00:00Z`),
    },
  });
});

describe("the course calendar", () => {
  it("lets the instructor replace the weekly meetings, in the course's zone, with an audit event", async () => {
    const db = database().db;
    await saveMeetings(db, instructor(), {
      courseSlug,
      meetings: [
        { label: "Lecture", dayOfWeek: 2, startTime: "09:30", durationMinutes: 80 },
        { label: "Lab", dayOfWeek: 4, startTime: "14:00", durationMinutes: 110 },
      ],
    });
    const schedule = await getCourseSchedule(db, instructor(), courseSlug);
    expect(schedule.course.timezone).toBe("America/Los_Angeles");
    expect(schedule.meetings.map((m) => [m.label, m.dayOfWeek, m.startMinute])).toEqual([
      ["Lecture", 2, 570],
      ["Lab", 4, 840],
    ]);
    expect(await db.auditEvent.count({ where: { action: "course.meetings.update" } })).toBe(1);
    const ta = await db.user.findUniqueOrThrow({ where: { email: "ta.chen@westvalley.edu" } });
    expect(
      await db.notification.count({ where: { userId: ta.id, kind: "course.schedule.changed" } }),
    ).toBe(1);
  });

  it("adds and removes an important date typed as a local time", async () => {
    const db = database().db;
    const startsAt = localInDays(10, "18:00");
    const { id } = await addImportantDate(db, instructor(), {
      courseSlug,
      kind: "DEADLINE",
      title: "Project 1",
      startsAt,
    });
    const row = await db.importantDate.findUniqueOrThrow({ where: { id } });
    // Los Angeles is 7 or 8 hours behind UTC.
    const offsetHours = (row.startsAt.getTime() - Date.parse(`${startsAt}:00Z`)) / 3_600_000;
    expect([7, 8]).toContain(offsetHours);
    await removeImportantDate(db, instructor(), { courseSlug, dateId: id });
    expect(await db.importantDate.count({ where: { id } })).toBe(0);
    expect(
      await db.auditEvent.count({
        where: { subjectId: id, action: { startsWith: "course.important-date." } },
      }),
    ).toBe(2);
  });

  it("gives field errors for bad input and saves nothing", async () => {
    const db = database().db;
    const before = await db.courseMeeting.count();
    const badMeeting = await appErrorOf(
      saveMeetings(db, instructor(), {
        courseSlug,
        meetings: [{ label: "", dayOfWeek: 9, startTime: "25:00", durationMinutes: 50 }],
      }),
    );
    expect(badMeeting.code).toBe("BAD_REQUEST");
    expect(Object.keys(badMeeting.fieldErrors).sort()).toEqual([
      "meetings.0.dayOfWeek",
      "meetings.0.label",
      "meetings.0.startTime",
    ]);
    expect(await db.courseMeeting.count()).toBe(before);

    const badDate = await appErrorOf(
      addImportantDate(db, instructor(), {
        courseSlug,
        kind: "EXAM",
        title: "Final",
        startsAt: localInDays(5, "10:00"),
        endsAt: localInDays(5, "09:00"),
      }),
    );
    expect(badDate.fieldErrors).toEqual({ endsAt: ["must be after the start"] });

    const badWindow = await appErrorOf(
      requestCapacityWindow(db, instructor(), {
        courseSlug,
        reason: "Exam",
        startsAt: localInDays(400, "10:00"),
        endsAt: localInDays(400, "12:00"),
        seats: 0,
        memoryMibPerSeat: 2048,
      }),
    );
    expect(badWindow.fieldErrors.seats).toEqual(["At least 1 seat"]);
    const outside = await appErrorOf(
      requestCapacityWindow(db, instructor(), {
        courseSlug,
        reason: "Exam",
        startsAt: localInDays(400, "10:00"),
        endsAt: localInDays(400, "12:00"),
        seats: 10,
        memoryMibPerSeat: 2048,
      }),
    );
    expect(outside.fieldErrors.startsAt?.[0]).toMatch(/^must be within the course/);
    expect(await db.capacityWindow.count()).toBe(0);
  });

  it("lets TAs read the schedule but not edit it; students are refused it", async () => {
    const db = database().db;
    const ta = await actorFor(db, "ta.chen@westvalley.edu");
    const schedule = await getCourseSchedule(db, ta, courseSlug);
    expect(schedule.canEdit).toBe(false);
    const refused = await appErrorOf(saveMeetings(db, ta, { courseSlug, meetings: [] }));
    expect(refused.code).toBe("FORBIDDEN");
    // A student of the course knows it exists (courses/course-in-scope.ts): refused, not hidden.
    const student = await actorFor(db, "student@westvalley.edu");
    expect((await appErrorOf(getCourseSchedule(db, student, courseSlug))).code).toBe("FORBIDDEN");
  });
});

describe("capacity windows", () => {
  it("approves a window within the envelope at once", async () => {
    const db = database().db;
    const schedule = await getCourseSchedule(db, instructor(), courseSlug);
    // 60 expected concurrent users × 5/4; the hub's memory limit is 2 GiB.
    expect(schedule.envelope).toMatchObject({ maxSeats: 75, maxMemoryMibPerSeat: 2048 });
    const result = await requestCapacityWindow(db, instructor(), {
      courseSlug,
      reason: "Review session",
      startsAt: localInDays(3, "10:00"),
      endsAt: localInDays(3, "12:00"),
      seats: 75,
      memoryMibPerSeat: 2048,
    });
    expect(result.status).toBe("APPROVED");
    expect(result.estimatedCostCents).toBeGreaterThan(0n);
    expect(
      await db.auditEvent.count({ where: { action: "capacity-window.add", subjectId: result.id } }),
    ).toBe(1);
  });

  it("sends a window beyond the envelope to ops, priced; ops approve and the instructor hears", async () => {
    const db = database().db;
    const small = await requestCapacityWindow(db, instructor(), {
      courseSlug,
      reason: "Quiz",
      startsAt: localInDays(4, "10:00"),
      endsAt: localInDays(4, "11:00"),
      seats: 50,
      memoryMibPerSeat: 1024,
    });
    const exam = await requestCapacityWindow(db, instructor(), {
      courseSlug,
      reason: "Midterm exam",
      startsAt: localInDays(4, "10:00"),
      endsAt: localInDays(4, "12:00"),
      seats: 300,
      memoryMibPerSeat: 2048,
    });
    expect(exam.status).toBe("PENDING");
    expect(exam.beyondEnvelope).toEqual(["300 seats is more than the approved 75"]);
    // Both are priced by the CPU guarantee (250 m of a 4-vCPU node weighs more than the
    // memory), so six times the seats for 180 seat-minutes instead of 120 (the idle
    // tail is 60 min) costs nine times as much, give or take the rounding of cents.
    const ratio = Number(exam.estimatedCostCents) / Number(small.estimatedCostCents);
    expect(small.estimatedCostCents).toBeGreaterThan(0n);
    expect(ratio).toBeGreaterThan(8.9);
    expect(ratio).toBeLessThan(9.1);

    const ops = await actorFor(db, "ops@hubfed.example");
    expect(
      await db.notification.count({
        where: { userId: ops.userId, kind: "capacity-window.submitted" },
      }),
    ).toBe(1);
    const pending = await listPendingCapacityWindows(db, ops);
    expect(pending.map((window) => window.id)).toEqual([exam.id]);
    expect((await appErrorOf(listPendingCapacityWindows(db, instructor()))).code).toBe("FORBIDDEN");
    expect(
      (
        await appErrorOf(
          decideCapacityWindow(db, instructor(), { windowId: exam.id, decision: "APPROVED" }),
        )
      ).code,
    ).toBe("FORBIDDEN");

    await decideCapacityWindow(db, ops, { windowId: exam.id, decision: "APPROVED", note: "Fine" });
    const decided = await db.capacityWindow.findUniqueOrThrow({ where: { id: exam.id } });
    expect(decided).toMatchObject({ status: "APPROVED", decidedById: ops.userId });
    expect(decided.decidedAt).not.toBeNull();
    expect(
      await db.notification.count({
        where: { userId: instructor().userId, kind: "capacity-window.approved" },
      }),
    ).toBe(1);
    expect(
      await db.auditEvent.count({
        where: { action: "capacity-window.approve", subjectId: exam.id, actorId: ops.userId },
      }),
    ).toBe(1);
    // Deciding twice loses.
    expect(
      (
        await appErrorOf(
          decideCapacityWindow(db, ops, { windowId: exam.id, decision: "REJECTED", note: "No" }),
        )
      ).code,
    ).toBe("CONFLICT");
  });

  it("asks ops for a reason when they reject", async () => {
    const db = database().db;
    const ops = await actorFor(db, "ops@hubfed.example");
    const window = await requestCapacityWindow(db, instructor(), {
      courseSlug,
      reason: "Hackathon",
      startsAt: localInDays(6, "09:00"),
      endsAt: localInDays(6, "17:00"),
      seats: 60,
      memoryMibPerSeat: 8192,
    });
    expect(window.status).toBe("PENDING");
    const noReason = await appErrorOf(
      decideCapacityWindow(db, ops, { windowId: window.id, decision: "REJECTED" }),
    );
    expect(noReason.fieldErrors).toEqual({ note: ["is required when rejecting"] });
    await decideCapacityWindow(db, ops, {
      windowId: window.id,
      decision: "REJECTED",
      note: "8 GiB per seat does not fit the pool",
    });
    expect(await db.capacityWindow.findUniqueOrThrow({ where: { id: window.id } })).toMatchObject({
      status: "REJECTED",
      decisionNote: "8 GiB per seat does not fit the pool",
    });
  });
});
