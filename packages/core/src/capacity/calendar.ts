import { can, type Actor } from "@hubfed/auth/permissions";
import { type DatabaseClient, recordAuditEvent } from "@hubfed/db";
import { AppError } from "../errors";
import { localDateTimeToUtc } from "../courses/time-zones";
import {
  addImportantDateInput,
  minutesOfClockTime,
  saveMeetingsInput,
  type AddImportantDateInput,
  type SaveMeetingsInput,
} from "./calendar-input";
import {
  envelopeOfCourse,
  isWithinCourseDays,
  loadCalendarCourse,
  notifyCourseStaff,
  parseOrFieldErrors,
  type RequestMetadata,
} from "./course-calendar-access";
import { envelopeSeatFactor } from "./envelope";

// The course calendar after approval (/courses/[slug]/schedule): weekly
// meetings and important dates. Capacity windows are in windows.ts.
// Staff read it (course.read); instructors edit it (course.schedule.manage).

/** Everything the schedule page shows, and what the actor may do there. */
export async function getCourseSchedule(db: DatabaseClient, actor: Actor, courseSlug: string) {
  const course = await loadCalendarCourse(db, actor, courseSlug, "course.read");
  const scope = { courseId: course.id, institutionId: course.institutionId };
  const [meetings, importantDates, windows, envelope] = await Promise.all([
    db.courseMeeting.findMany({
      where: { courseId: course.id },
      orderBy: [{ dayOfWeek: "asc" }, { startMinute: "asc" }],
    }),
    db.importantDate.findMany({ where: { courseId: course.id }, orderBy: { startsAt: "asc" } }),
    db.capacityWindow.findMany({
      where: { courseId: course.id },
      orderBy: { startsAt: "asc" },
      include: { requestedBy: { select: { name: true } }, decidedBy: { select: { name: true } } },
    }),
    envelopeOfCourse(db, course),
  ]);
  return {
    course,
    canEdit: can(actor, "course.schedule.manage", scope),
    canReview: can(actor, "capacity.review", scope),
    envelope: {
      ...envelope,
      rule: `${envelopeSeatFactor.numerator}/${envelopeSeatFactor.denominator} × the ${course.expectedConcurrentUsers} expected concurrent users, at no more than the hub's memory limit per seat`,
    },
    meetings: meetings.map(({ id, label, dayOfWeek, startMinute, durationMinutes }) => ({
      id,
      label,
      dayOfWeek,
      startMinute,
      durationMinutes,
    })),
    importantDates: importantDates.map(({ id, kind, title, startsAt, endsAt }) => ({
      id,
      kind,
      title,
      startsAt,
      endsAt,
    })),
    capacityWindows: windows.map((window) => ({
      id: window.id,
      reason: window.reason,
      startsAt: window.startsAt,
      endsAt: window.endsAt,
      seats: window.seats,
      memoryMibPerSeat: window.memoryMibPerSeat,
      status: window.status,
      estimatedCostCents: window.estimatedCostCents,
      requestedBy: window.requestedBy?.name ?? null,
      decidedBy: window.decidedBy?.name ?? null,
      decidedAt: window.decidedAt,
      decisionNote: window.decisionNote,
    })),
  };
}
export type CourseSchedule = Awaited<ReturnType<typeof getCourseSchedule>>;

/** Replaces the course's weekly meetings with `meetings` (in the course's zone). */
export async function saveMeetings(
  db: DatabaseClient,
  actor: Actor,
  rawInput: SaveMeetingsInput,
  requestMetadata?: RequestMetadata,
): Promise<{ count: number }> {
  const input = parseOrFieldErrors(saveMeetingsInput, rawInput);
  const course = await loadCalendarCourse(db, actor, input.courseSlug, "course.schedule.manage");
  const fieldErrors: Record<string, string[]> = {};
  input.meetings.forEach((meeting, index) => {
    if (minutesOfClockTime(meeting.startTime) + meeting.durationMinutes > 24 * 60)
      fieldErrors[`meetings.${index}.durationMinutes`] = ["must end by midnight"];
  });
  if (Object.keys(fieldErrors).length > 0)
    throw new AppError("BAD_REQUEST", "Some meetings are invalid", fieldErrors);
  return db.$transaction(async (tx) => {
    await tx.courseMeeting.deleteMany({ where: { courseId: course.id } });
    await tx.courseMeeting.createMany({
      data: input.meetings.map((meeting) => ({
        courseId: course.id,
        label: meeting.label,
        dayOfWeek: meeting.dayOfWeek,
        startMinute: minutesOfClockTime(meeting.startTime),
        durationMinutes: meeting.durationMinutes,
      })),
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "course.meetings.update",
      subjectType: "Course",
      subjectId: course.id,
      details: { meetings: input.meetings.length },
      requestMetadata,
    });
    await notifyCourseStaff(tx, course, actor.userId, {
      kind: "course.schedule.changed",
      title: `${course.code}: weekly meetings changed`,
      body: `The course now meets ${input.meetings.length} time(s) a week.`,
    });
    return { count: input.meetings.length };
  });
}

/** Adds an exam, assignment release, deadline or other date, typed in the course's zone. */
export async function addImportantDate(
  db: DatabaseClient,
  actor: Actor,
  rawInput: AddImportantDateInput,
  requestMetadata?: RequestMetadata,
): Promise<{ id: string }> {
  const input = parseOrFieldErrors(addImportantDateInput, rawInput);
  const course = await loadCalendarCourse(db, actor, input.courseSlug, "course.schedule.manage");
  const fieldErrors: Record<string, string[]> = {};
  const outside = `must be within the course, ${course.startDate} to ${course.endDate}`;
  if (!isWithinCourseDays(input.startsAt, course)) fieldErrors.startsAt = [outside];
  if (input.endsAt !== undefined) {
    if (input.endsAt <= input.startsAt) fieldErrors.endsAt = ["must be after the start"];
    else if (!isWithinCourseDays(input.endsAt, course)) fieldErrors.endsAt = [outside];
  }
  if (Object.keys(fieldErrors).length > 0)
    throw new AppError("BAD_REQUEST", "The date is invalid", fieldErrors);
  return db.$transaction(async (tx) => {
    const created = await tx.importantDate.create({
      data: {
        courseId: course.id,
        kind: input.kind,
        title: input.title,
        startsAt: localDateTimeToUtc(input.startsAt, course.timezone),
        endsAt: input.endsAt ? localDateTimeToUtc(input.endsAt, course.timezone) : null,
      },
      select: { id: true },
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "course.important-date.add",
      subjectType: "ImportantDate",
      subjectId: created.id,
      details: { courseId: course.id, kind: input.kind, title: input.title },
      requestMetadata,
    });
    await notifyCourseStaff(tx, course, actor.userId, {
      kind: "course.schedule.changed",
      title: `${course.code}: ${input.title} added to the calendar`,
      body: `${input.title} on ${input.startsAt.replace("T", " ")} (${course.timezone}).`,
    });
    return created;
  });
}

export async function removeImportantDate(
  db: DatabaseClient,
  actor: Actor,
  input: { courseSlug: string; dateId: string },
  requestMetadata?: RequestMetadata,
): Promise<{ id: string }> {
  const course = await loadCalendarCourse(db, actor, input.courseSlug, "course.schedule.manage");
  return db.$transaction(async (tx) => {
    const date = await tx.importantDate.findFirst({
      where: { id: input.dateId, courseId: course.id },
    });
    if (!date) throw new AppError("NOT_FOUND", "That date is not on this course's calendar");
    await tx.importantDate.delete({ where: { id: date.id } });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "course.important-date.remove",
      subjectType: "ImportantDate",
      subjectId: date.id,
      details: { courseId: course.id, kind: date.kind, title: date.title },
      requestMetadata,
    });
    await notifyCourseStaff(tx, course, actor.userId, {
      kind: "course.schedule.changed",
      title: `${course.code}: ${date.title} removed from the calendar`,
      body: `${date.title} is no longer on the course calendar.`,
    });
    return { id: date.id };
  });
}
