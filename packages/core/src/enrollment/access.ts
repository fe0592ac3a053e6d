import { can, type Action, type Actor } from "@hubfed/auth/permissions";
import { type DatabaseClient, type Transaction } from "@hubfed/db";

import { AppError } from "../errors";

export interface CourseInScope {
  id: string;
  slug: string;
  code: string;
  title: string;
  term: string;
  institutionId: string;
  institutionName: string;
}

/**
 * Loads a course by slug and checks `action` in the course's scope (its own
 * roles and its institution's admins). A course the actor may not even read
 * is, for them, not there; one they can read but not act on is forbidden.
 */
export async function loadCourseFor(
  db: DatabaseClient | Transaction,
  actor: Actor,
  slug: string,
  action: Action,
): Promise<CourseInScope> {
  const course = await db.course.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      code: true,
      title: true,
      term: true,
      institutionId: true,
      institution: { select: { name: true } },
    },
  });
  const scope = course ? { courseId: course.id, institutionId: course.institutionId } : undefined;
  if (!course || !scope || !(can(actor, action, scope) || can(actor, "course.read", scope))) {
    throw new AppError("NOT_FOUND", "Course not found");
  }
  if (!can(actor, action, scope))
    throw new AppError("FORBIDDEN", `You do not have permission to ${action} in this course`);
  return {
    id: course.id,
    slug: course.slug,
    code: course.code,
    title: course.title,
    term: course.term,
    institutionId: course.institutionId,
    institutionName: course.institution.name,
  };
}

/**
 * What a course's staff pages show above every tab: the course, if the actor may read it
 * (course.read in its scope), and whether they may manage its enrollment.
 */
export async function describeCourseForStaff(
  db: DatabaseClient,
  actor: Actor,
  slug: string,
): Promise<{ course: CourseInScope; canManage: boolean }> {
  const course = await loadCourseFor(db, actor, slug, "course.read");
  return {
    course,
    canManage: can(actor, "enrollment.manage", {
      courseId: course.id,
      institutionId: course.institutionId,
    }),
  };
}

export const courseRoleLabels = {
  INSTRUCTOR: "Instructor",
  TA: "Teaching assistant",
  STUDENT: "Student",
} as const;
