import { can, type Actor } from "@hubfed/auth/permissions";
import {
  type CourseRole,
  type DatabaseClient,
  type AuditInput,
  type Prisma,
  recordAuditEvent,
  type Transaction,
} from "@hubfed/db";
import type { JobQueues } from "@hubfed/jobs";
import { z } from "zod";
import { notify } from "../audit";
import { AppError, fieldErrorsOf } from "../errors";
import { offsetOf, pageInput, pageOf } from "../paging";
import { courseRoleLabels, loadCourseFor } from "./access";
import { queueHubAccessRevocations, takeAwayHubAccess } from "./hub-access";

type RequestMetadata = AuditInput["requestMetadata"];

export const rosterQueryInput = pageInput.extend({
  courseSlug: z.string().trim().min(1).max(100),
  /** Part of a name, email address or hub username. */
  search: z.string().trim().max(200).optional(),
  role: z.enum(["INSTRUCTOR", "TA", "STUDENT"]).optional(),
  pageSize: pageInput.shape.pageSize.unwrap().default(50),
});
export type RosterQuery = z.input<typeof rosterQueryInput>;

/**
 * One page of a course's roster, staff first, with how many people hold each
 * role in the whole course (the page may show only some of them). A course of
 * any size pages; the search runs in the database, not over one page.
 */
export async function listRoster(db: DatabaseClient, actor: Actor, input: RosterQuery) {
  const query = rosterQueryInput.parse(input);
  const course = await loadCourseFor(db, actor, query.courseSlug, "course.read");
  const scope = { courseId: course.id, institutionId: course.institutionId };
  const contains = query.search
    ? { contains: query.search, mode: "insensitive" as const }
    : undefined;
  const where: Prisma.EnrollmentWhereInput = {
    courseId: course.id,
    ...(query.role ? { role: query.role } : {}),
    ...(contains
      ? { user: { OR: [{ name: contains }, { email: contains }, { username: contains }] } }
      : {}),
  };
  const [enrollments, total, byRole] = await Promise.all([
    db.enrollment.findMany({
      where,
      orderBy: [{ role: "asc" }, { user: { name: "asc" } }, { createdAt: "asc" }, { id: "asc" }],
      skip: offsetOf(query),
      take: query.pageSize,
      select: {
        id: true,
        role: true,
        createdAt: true,
        lastLaunchedAt: true,
        user: { select: { id: true, name: true, email: true, username: true } },
      },
    }),
    db.enrollment.count({ where }),
    db.enrollment.groupBy({ by: ["role"], where: { courseId: course.id }, _count: true }),
  ]);
  const counts = { INSTRUCTOR: 0, TA: 0, STUDENT: 0 } satisfies Record<CourseRole, number>;
  for (const group of byRole) counts[group.role] = group._count;
  const entries = enrollments.map((enrollment) => ({
    enrollmentId: enrollment.id,
    userId: enrollment.user.id,
    name: enrollment.user.name,
    email: enrollment.user.email,
    username: enrollment.user.username,
    role: enrollment.role,
    enrolledAt: enrollment.createdAt,
    lastLaunchedAt: enrollment.lastLaunchedAt,
  }));
  return {
    course,
    canManage: can(actor, "enrollment.manage", scope),
    counts,
    ...pageOf(entries, total, query),
  };
}

/**
 * Removals from one course take turns: two staff removing the last two
 * instructors at once must not both succeed. NO KEY UPDATE does not block
 * joins (their foreign-key check takes KEY SHARE).
 */
async function lockCourseRoster(tx: Transaction, courseId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Course" WHERE id = ${courseId} FOR NO KEY UPDATE`;
}

/** Refuses to leave a course without an instructor: someone has to be able to manage it. */
async function assertInstructorRemains(tx: Transaction, courseId: string): Promise<void> {
  const instructors = await tx.enrollment.count({ where: { courseId, role: "INSTRUCTOR" } });
  if (instructors === 0)
    throw new AppError(
      "CONFLICT",
      "A course needs at least one instructor: add another instructor first",
    );
}

/**
 * Course staff remove someone from a course. The row goes (and with it the
 * sticky hub choice), and so does their hub access: every hub of the course
 * is told to remove them at once (hub-access.ts).
 */
export async function unenrollFromCourse(
  db: DatabaseClient,
  actor: Actor,
  queues: JobQueues,
  input: { courseSlug: string; enrollmentId: string },
  requestMetadata?: RequestMetadata,
): Promise<void> {
  const course = await loadCourseFor(db, actor, input.courseSlug, "enrollment.manage");
  const revocations = await db.$transaction(async (tx) => {
    await lockCourseRoster(tx, course.id);
    const enrollment = await tx.enrollment.findFirst({
      where: { id: input.enrollmentId, courseId: course.id },
      select: { id: true, userId: true, role: true },
    });
    if (!enrollment) throw new AppError("NOT_FOUND", "This person is not in the course");
    await tx.enrollment.delete({ where: { id: enrollment.id } });
    if (enrollment.role === "INSTRUCTOR") await assertInstructorRemains(tx, course.id);
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "enrollment.remove",
      subjectType: "Enrollment",
      subjectId: enrollment.id,
      details: { courseId: course.id, userId: enrollment.userId, role: enrollment.role },
      requestMetadata,
    });
    await notify(tx, {
      userIds: [enrollment.userId],
      kind: "enrollment.remove",
      title: `You were removed from ${course.code}`,
      body: `The staff of ${course.code}: ${course.title} (${course.term}) removed you from the course. Ask them if this is a mistake.`,
      href: "/",
    });
    return takeAwayHubAccess(tx, {
      userId: enrollment.userId,
      courseId: course.id,
      reason: "UNENROLLED",
    });
  });
  await queueHubAccessRevocations(queues, revocations);
}

/** A person leaves a course themselves (not its last instructor), and its hubs with it. */
export async function leaveCourse(
  db: DatabaseClient,
  actor: Actor,
  queues: JobQueues,
  courseSlug: string,
  requestMetadata?: RequestMetadata,
): Promise<void> {
  const course = await db.course.findUnique({ where: { slug: courseSlug }, select: { id: true } });
  if (!course) throw new AppError("NOT_FOUND", "You are not enrolled in this course");
  const revocations = await db.$transaction(async (tx) => {
    await lockCourseRoster(tx, course.id);
    const enrollment = await tx.enrollment.findUnique({
      where: { userId_courseId: { userId: actor.userId, courseId: course.id } },
      select: { id: true, role: true },
    });
    if (!enrollment) throw new AppError("NOT_FOUND", "You are not enrolled in this course");
    await tx.enrollment.delete({ where: { id: enrollment.id } });
    if (enrollment.role === "INSTRUCTOR") await assertInstructorRemains(tx, course.id);
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "enrollment.leave",
      subjectType: "Enrollment",
      subjectId: enrollment.id,
      details: { courseId: course.id, userId: actor.userId, role: enrollment.role },
      requestMetadata,
    });
    return takeAwayHubAccess(tx, {
      userId: actor.userId,
      courseId: course.id,
      reason: "UNENROLLED",
    });
  });
  await queueHubAccessRevocations(queues, revocations);
}

const roleRank: Record<CourseRole, number> = { STUDENT: 0, TA: 1, INSTRUCTOR: 2 };

export const changeCourseRoleInput = z.object({
  courseSlug: z.string().min(1).max(80),
  enrollmentId: z.string().min(1).max(40),
  role: z.enum(["STUDENT", "TA"]),
});

/**
 * Course staff make a TA or instructor a student, or an instructor a TA. Only ever down: staff
 * join through invitations bound to their email. The person's admin on every hub of the course
 * ends at once (the hub removes its user; their next sign-in has the new role), and a course
 * keeps at least one instructor.
 */
export async function changeCourseRole(
  db: DatabaseClient,
  actor: Actor,
  queues: JobQueues,
  rawInput: z.input<typeof changeCourseRoleInput>,
  requestMetadata?: RequestMetadata,
): Promise<{ role: CourseRole }> {
  const parsed = changeCourseRoleInput.safeParse(rawInput);
  if (!parsed.success)
    throw new AppError("BAD_REQUEST", "Check the new role", fieldErrorsOf(parsed.error, "input"));
  const input = parsed.data;
  const course = await loadCourseFor(db, actor, input.courseSlug, "enrollment.manage");
  const revocations = await db.$transaction(async (tx) => {
    await lockCourseRoster(tx, course.id);
    const enrollment = await tx.enrollment.findFirst({
      where: { id: input.enrollmentId, courseId: course.id },
      select: { id: true, userId: true, role: true },
    });
    if (!enrollment) throw new AppError("NOT_FOUND", "This person is not in the course");
    if (roleRank[input.role] >= roleRank[enrollment.role])
      throw new AppError(
        "BAD_REQUEST",
        "Roles only go down here: to make someone staff, invite them by email",
        {
          role: [
            `Already ${courseRoleLabels[enrollment.role].toLowerCase()}: invite them by email to make them staff`,
          ],
        },
      );
    await tx.enrollment.update({ where: { id: enrollment.id }, data: { role: input.role } });
    if (enrollment.role === "INSTRUCTOR") await assertInstructorRemains(tx, course.id);
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "enrollment.role-change",
      subjectType: "Enrollment",
      subjectId: enrollment.id,
      details: {
        courseId: course.id,
        userId: enrollment.userId,
        role: input.role,
        previousRole: enrollment.role,
      },
      requestMetadata,
    });
    await notify(tx, {
      userIds: [enrollment.userId],
      kind: "enrollment.role-change",
      title: `You are now ${courseRoleLabels[input.role].toLowerCase()} in ${course.code}`,
      body: `The staff of ${course.code}: ${course.title} (${course.term}) changed your role from ${courseRoleLabels[enrollment.role].toLowerCase()} to ${courseRoleLabels[input.role].toLowerCase()}.`,
      href: "/",
    });
    return takeAwayHubAccess(tx, {
      userId: enrollment.userId,
      courseId: course.id,
      reason: "ROLE_CHANGED",
    });
  });
  await queueHubAccessRevocations(queues, revocations);
  return { role: input.role };
}
