import type { Actor } from "@hubfed/auth/permissions";
import type { AuditInput, DatabaseClient } from "@hubfed/db";
import { loadCourseInScope, type CourseInScope } from "../courses/course-in-scope";

/** Who asked, for the audit trail of a change to a course's links. */
export type RequestMetadata = AuditInput["requestMetadata"];

/** The course a staff action on links is about, with the actor's right to `action` in it checked. */
export function findCourseForStaff(
  db: DatabaseClient,
  actor: Actor,
  slug: string,
  action: "link.publish" | "course.read",
): Promise<CourseInScope> {
  return loadCourseInScope(db, actor, slug, action, {
    refusal:
      action === "link.publish"
        ? "Only the course's instructors and TAs publish and archive its links"
        : "Only the course's instructors and TAs see its links and their clicks",
  });
}
