import "server-only";
import { can, type Actor } from "@hubfed/auth";
import { isAppError, loadCourseFor, type CourseInScope } from "@hubfed/core";
import { services } from "./services";

/**
 * The course a staff page is about, if the actor may read it (course.read in
 * the course's own scope); undefined otherwise, which pages show as a refusal.
 */
export async function courseForStaff(
  actor: Actor,
  slug: string,
): Promise<{ course: CourseInScope; canManage: boolean } | undefined> {
  try {
    const course = await loadCourseFor(services().db, actor, slug, "course.read");
    return {
      course,
      canManage: can(actor, "enrollment.manage", {
        courseId: course.id,
        institutionId: course.institutionId,
      }),
    };
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN"))
      return undefined;
    throw error;
  }
}
