import type { Action, Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient } from "@hubfed/db";
import { loadCourseInScope, type CourseInScope } from "../courses/course-in-scope";

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
export function findCourseForGrading(
  db: DatabaseClient,
  actor: Actor,
  slug: string,
  action: GradingAction,
): Promise<CourseInScope> {
  return loadCourseInScope(db, actor, slug, action, { refusal: refusals[action] });
}
