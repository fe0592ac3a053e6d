import { can, type Actor } from "@hubfed/auth/permissions";
import type { AuditInput, DatabaseClient } from "@hubfed/db";
import { AppError } from "../errors";

/** Who asked, for the audit trail of a change to a course's links. */
export type RequestMetadata = AuditInput["requestMetadata"];

/** The course a staff action on links is about, with the actor's right to `action` in it checked. */
export async function findCourseForStaff(
  db: DatabaseClient,
  actor: Actor,
  slug: string,
  action: "link.publish" | "course.read",
) {
  const course = await db.course.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      code: true,
      term: true,
      institutionId: true,
      contentRepositoryAllowList: true,
    },
  });
  // A course one neither takes part in nor may see is, for that person, not there.
  if (
    !course ||
    (!actor.courseRoles.has(course.id) &&
      !can(actor, "course.read", { courseId: course.id, institutionId: course.institutionId }))
  )
    throw new AppError("NOT_FOUND", "Course not found");
  if (!can(actor, action, { courseId: course.id, institutionId: course.institutionId }))
    throw new AppError(
      "FORBIDDEN",
      action === "link.publish"
        ? "Only the course's instructors and TAs publish and archive its links"
        : "Only the course's instructors and TAs see its links and their clicks",
    );
  return course;
}
