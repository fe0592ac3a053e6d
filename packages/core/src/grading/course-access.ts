import { can, type Action, type Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient } from "@hubfed/db";
import { AppError } from "../errors";

type GradingAction = Extract<
  Action,
  "assignment.manage" | "assignment.submit" | "gradebook.read" | "submission.regrade"
>;

const refusals: Record<GradingAction, string> = {
  "assignment.manage": "Only the course's instructors and TAs create and publish its assignments",
  "assignment.submit": "Only the course's students submit assignments",
  "gradebook.read": "Only the course's instructors and TAs see its gradebook",
  "submission.regrade": "Only the course's instructors and TAs regrade submissions",
};

/** The course a grading action is about, with the actor's right to `action` in it checked. */
export async function findCourseForGrading(
  db: DatabaseClient,
  actor: Actor,
  slug: string,
  action: GradingAction,
) {
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
    },
  });
  // A course one neither takes part in nor may see is, for that person, not there.
  const scope = course ? { courseId: course.id, institutionId: course.institutionId } : {};
  if (!course || (!actor.courseRoles.has(course.id) && !can(actor, "course.read", scope)))
    throw new AppError("NOT_FOUND", "Course not found");
  if (!can(actor, action, scope)) throw new AppError("FORBIDDEN", refusals[action]);
  return course;
}
