import type { Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient, HubStatus } from "@hubfed/db";
import { AppError } from "../errors";
import { hubBaseUrl } from "../links/nbgitpuller";
import { isHubLaunchable } from "../hubs/routing";
import { chooseHubForEnrollment } from "./sticky-hub";
import { describeHubStatus, type HubStatusDescription } from "../hubs/status-description";

export type LaunchDecision =
  | { kind: "redirect"; url: string }
  | {
      kind: "not-ready";
      course: { slug: string; code: string; title: string };
      /** What a student may see: the status in plain words, never its technical reason. */
      hub: {
        slug: string;
        status: HubStatus;
        isSimulated: boolean;
        description: HubStatusDescription;
      } | null;
    };

/**
 * Where the launch button sends an enrolled person: their (sticky) hub's URL
 * from our records when it is READY, otherwise what the status page shows.
 * Someone not enrolled gets NOT_FOUND; enrollment is the access rule (SPEC §5).
 */
export async function launchCourseHub(
  db: DatabaseClient,
  actor: Actor,
  courseSlug: string,
  now: Date = new Date(),
): Promise<LaunchDecision> {
  const course = await db.course.findUnique({
    where: { slug: courseSlug },
    select: { id: true, slug: true, code: true, title: true },
  });
  const enrollment = course
    ? await db.enrollment.findUnique({
        where: { userId_courseId: { userId: actor.userId, courseId: course.id } },
        select: { id: true, userId: true, courseId: true, hubId: true },
      })
    : null;
  if (!course || !enrollment)
    throw new AppError("NOT_FOUND", "You are not enrolled in this course");
  const hub = await chooseHubForEnrollment(db, enrollment);
  const base = hub && isHubLaunchable(hub) ? hubBaseUrl(hub.url) : undefined;
  if (hub && base) {
    await db.enrollment.update({ where: { id: enrollment.id }, data: { lastLaunchedAt: now } });
    // The hub's own entry point; the origin is the one we recorded.
    return { kind: "redirect", url: `${base}/hub/` };
  }
  return {
    kind: "not-ready",
    course: { slug: course.slug, code: course.code, title: course.title },
    hub: hub
      ? {
          slug: hub.slug,
          status: hub.status,
          isSimulated: hub.cluster.isSimulated,
          description: describeHubStatus(hub.status, { isSimulated: hub.cluster.isSimulated }),
        }
      : null,
  };
}
