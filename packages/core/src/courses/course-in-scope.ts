import { can, type Action, type Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient, Transaction } from "@hubfed/db";
import { AppError } from "../errors";

/** A course as the domains acting on it need it, loaded with the actor's right checked. */
export interface CourseInScope {
  id: string;
  slug: string;
  code: string;
  title: string;
  term: string;
  /** IANA time zone of the course's schedule and dates. */
  timezone: string;
  institutionId: string;
  institutionName: string;
  contentRepositoryAllowList: string[];
}

/**
 * Loads a course by slug and checks `action` in the course's scope (its own
 * roles and its institution's admins) — the one rule every domain acting on a
 * course uses (enrollment, links, grading). A course the actor neither takes
 * part in nor may read nor act on is, for them, not there (NOT_FOUND); one they
 * can see but not act on is FORBIDDEN, with `refusal` as the message when
 * given.
 */
export async function loadCourseInScope(
  db: DatabaseClient | Transaction,
  actor: Actor,
  slug: string,
  action: Action,
  { refusal }: { refusal?: string } = {},
): Promise<CourseInScope> {
  const course = await db.course.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      code: true,
      title: true,
      term: true,
      timezone: true,
      institutionId: true,
      contentRepositoryAllowList: true,
      institution: { select: { name: true } },
    },
  });
  const scope = course ? { courseId: course.id, institutionId: course.institutionId } : undefined;
  const isVisible =
    course !== null &&
    scope !== undefined &&
    (actor.courseRoles.has(course.id) ||
      can(actor, "course.read", scope) ||
      can(actor, action, scope));
  if (!course || !scope || !isVisible) throw new AppError("NOT_FOUND", "Course not found");
  if (!can(actor, action, scope))
    throw new AppError(
      "FORBIDDEN",
      refusal ?? `You do not have permission to ${action} in this course`,
    );
  const { institution, ...fields } = course;
  return { ...fields, institutionName: institution.name };
}
