import { can, type Action, type Actor } from "@hubfed/auth/permissions";
import { type DatabaseClient, type Transaction } from "@hubfed/db";

import { loadCourseInScope, type CourseInScope } from "../courses/course-in-scope";

export type { CourseInScope } from "../courses/course-in-scope";

/** Loads a course by slug with `action` checked in its scope (courses/course-in-scope.ts). */
export function loadCourseFor(
  db: DatabaseClient | Transaction,
  actor: Actor,
  slug: string,
  action: Action,
): Promise<CourseInScope> {
  return loadCourseInScope(db, actor, slug, action);
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
