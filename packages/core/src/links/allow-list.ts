import { can, type Actor } from "@hubfed/auth/permissions";
import { type DatabaseClient, recordAuditEvent } from "@hubfed/db";

import { AppError } from "../errors";
import { fieldErrorsOf } from "../errors";
import { dropFromInteractCache } from "./interact-cache";
import { contentSourcesSchema } from "./validation";
import type { RequestMetadata } from "./staff-access";

/**
 * Sets the GitHub organisations and repositories a course's content links
 * may come from (its allow-list). Proposed in the hub request, kept by the
 * course's instructors (and ops and the institution's admins) afterwards.
 * Links already published stay: the list decides what may be published and
 * which course a classic or legacy link belongs to.
 */
export async function updateCourseAllowList(
  db: DatabaseClient,
  actor: Actor,
  input: { courseSlug: string; entries: unknown },
  { requestMetadata }: { requestMetadata?: RequestMetadata } = {},
): Promise<{ allowList: string[] }> {
  const course = await db.course.findUnique({
    where: { slug: input.courseSlug },
    select: { id: true, slug: true, institutionId: true, contentRepositoryAllowList: true },
  });
  const scope = course ? { courseId: course.id, institutionId: course.institutionId } : undefined;
  if (!course || !scope || (!actor.courseRoles.has(course.id) && !can(actor, "course.read", scope)))
    throw new AppError("NOT_FOUND", "Course not found");
  if (!can(actor, "course.content.manage", scope))
    throw new AppError(
      "FORBIDDEN",
      "Only the course's instructors (and its institution's admins) change its allowed repositories",
    );
  const parsed = contentSourcesSchema.safeParse(input.entries);
  if (!parsed.success)
    throw new AppError("BAD_REQUEST", "Some entries need fixing", fieldErrorsOf(parsed.error));
  const allowList = parsed.data;
  await db.$transaction(async (tx) => {
    await tx.course.update({
      where: { id: course.id },
      data: { contentRepositoryAllowList: allowList },
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "course.allow-list.update",
      subjectType: "Course",
      subjectId: course.id,
      details: { course: course.slug, before: course.contentRepositoryAllowList, after: allowList },
      requestMetadata,
    });
  });
  // The router caches courses for a few seconds; this one changed now.
  dropFromInteractCache("courses", `id:${course.id}`);
  dropFromInteractCache("courses", `slug:${course.slug}`);
  return { allowList };
}
