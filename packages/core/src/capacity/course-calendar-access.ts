import type { Action, Actor } from "@hubfed/auth/permissions";
import type { AuditInput, DatabaseClient, Transaction } from "@hubfed/db";
import { hubSpecSchema } from "@hubfed/hub-spec";
import { notify } from "../audit";
import { AppError, fieldErrorsOf } from "../errors";
import { loadCourseFor } from "../enrollment/access";
import { retiredHubStatuses } from "../hubs/lifecycle";
import { capacityEnvelopeOf, type CapacityEnvelope } from "./envelope";

// Shared by the calendar's reads and edits: the course in the actor's scope
// with what the checks need, input parsing with field errors, and who hears
// about a change.

export type RequestMetadata = AuditInput["requestMetadata"];

export interface CalendarCourse {
  id: string;
  slug: string;
  code: string;
  title: string;
  institutionId: string;
  timezone: string;
  /** YYYY-MM-DD, the course's first and last day in its zone. */
  startDate: string;
  endDate: string;
  expectedEnrollment: number;
  expectedConcurrentUsers: number;
}

/** The course, if `action` is allowed in its scope (not there for outsiders, forbidden for readers). */
export async function loadCalendarCourse(
  db: DatabaseClient,
  actor: Actor,
  courseSlug: string,
  action: Action,
): Promise<CalendarCourse> {
  const scoped = await loadCourseFor(db, actor, courseSlug, action);
  const course = await db.course.findUniqueOrThrow({ where: { id: scoped.id } });
  return {
    id: course.id,
    slug: course.slug,
    code: course.code,
    title: course.title,
    institutionId: course.institutionId,
    timezone: course.timezone,
    startDate: course.startDate.toISOString().slice(0, 10),
    endDate: course.endDate.toISOString().slice(0, 10),
    expectedEnrollment: course.expectedEnrollment,
    expectedConcurrentUsers: course.expectedConcurrentUsers,
  };
}

/** Parses `input` with `schema`, or throws a BAD_REQUEST with one message per field. */
export function parseOrFieldErrors<T>(
  schema: {
    safeParse(input: unknown):
      | { success: true; data: T }
      | {
          success: false;
          error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> };
        };
  },
  input: unknown,
): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new AppError("BAD_REQUEST", "Some fields are invalid", fieldErrorsOf(parsed.error));
  return parsed.data;
}

/** The course's live hubs (not retiring), oldest first, with the spec fields capacity needs. */
export async function liveHubsOf(db: DatabaseClient | Transaction, courseId: string) {
  const hubs = await db.hub.findMany({
    where: { courseId, status: { notIn: [...retiredHubStatuses] } },
    orderBy: { createdAt: "asc" },
    select: { id: true, slug: true, clusterId: true, spec: true },
  });
  return hubs.map((hub) => ({ ...hub, spec: hubSpecSchema.parse(hub.spec) }));
}

export async function envelopeOfCourse(
  db: DatabaseClient | Transaction,
  course: CalendarCourse,
): Promise<CapacityEnvelope> {
  const hubs = await liveHubsOf(db, course.id);
  return capacityEnvelopeOf(
    course,
    hubs.map((hub) => hub.spec),
  );
}

/** Tells the course's instructors and TAs, except whoever made the change. */
export async function notifyCourseStaff(
  tx: Transaction,
  course: CalendarCourse,
  exceptUserId: string | null,
  message: { kind: string; title: string; body: string },
): Promise<void> {
  const staff = await tx.enrollment.findMany({
    where: { courseId: course.id, role: { in: ["INSTRUCTOR", "TA"] } },
    select: { userId: true },
  });
  await notify(tx, {
    userIds: staff.map((row) => row.userId).filter((userId) => userId !== exceptUserId),
    ...message,
    href: `/courses/${course.slug}/schedule`,
  });
}

/** Whether a local date-time ("2026-10-14T10:00") falls on one of the course's days. */
export function isWithinCourseDays(localDateTime: string, course: CalendarCourse): boolean {
  const day = localDateTime.slice(0, 10);
  return day >= course.startDate && day <= course.endDate;
}
