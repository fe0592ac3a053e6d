import type { DatabaseClient } from "@hubfed/db";
import { chooseHub, isHubLaunchable, type HubChoice } from "../hubs/routing";
import { describeHubStatus } from "../hubs/status-description";
import {
  loadCourse,
  loadEnrollment,
  type CourseRecord,
  type EnrollmentRecord,
  type InteractCache,
} from "./interact-cache";
import { parseInteractRequest } from "./interact-forms";
import type { InteractCourse, InteractOutcome, InteractRequest } from "./interact-request";
import { hubBaseUrl } from "./nbgitpuller";
import { isRepositoryAllowed, type NormalisedRepository } from "./validation";

/**
 * The interact router (SPEC §8, issue 6): `/i/<code>`, the classic
 * `/interact?course=…&repo=…` and the legacy Data 8 `?repo=<name>&path=…`.
 * Given a request and who is asking, it answers what the portal should do:
 * send them to sign in, offer to join, refuse, show the hub's status, or
 * redirect — to a URL built only from our own records (the hub's URL) and
 * validated parameters. The route handlers in apps/portal only translate
 * the outcome into HTTP.
 */

export interface ResolveOptions {
  /** The process's routing cache; omit to read everything from the database. */
  cache?: InteractCache;
  now?: Date;
  /** Seconds the hub-not-ready page waits before trying again. */
  retryAfterSeconds?: number;
}

export async function resolveInteractRequest(
  db: DatabaseClient,
  request: InteractRequest,
  options: ResolveOptions = {},
): Promise<InteractOutcome> {
  const { cache, now = new Date(), retryAfterSeconds = 10 } = options;
  const parsed = await parseInteractRequest(db, request, cache);
  if (!parsed.ok) return parsed.outcome;
  const destination = parsed.destination;

  if (!request.userId) return { kind: "sign-in", next: destination.returnPath };

  let course: CourseRecord;
  if (destination.course === null) {
    const found = await findCourseByAllowList(db, request.userId, destination.repository, cache);
    if (!found) return noCourseAllows(destination.repository);
    course = found;
  } else course = destination.course;
  const courseSummary = summaryOf(course);

  const enrollment = await loadEnrollment(db, request.userId, course.id, cache);
  if (!enrollment) {
    if (await hasOpenJoinCode(db, course.id, now))
      return { kind: "join", next: destination.returnPath };
    return notEnrolled;
  }

  const choice = chooseHub(course.hubs, enrollment.hubId, request.userId);
  const hubBase = choice && isHubLaunchable(choice.hub) ? hubBaseUrl(choice.hub.url) : undefined;
  if (!choice || !hubBase)
    return {
      kind: "hub-not-ready",
      course: courseSummary,
      hub: choice ? whatAStudentSeesOf(choice.hub) : null,
      retryAfterSeconds,
      next: destination.returnPath,
    };
  if (choice.isNewPlacement)
    placeOnHub(db, request.userId, course.id, enrollment, choice.hub.id, cache);

  return {
    kind: "redirect",
    location: `${hubBase}${destination.hubPath}`,
    linkId: destination.linkId,
    enrollmentId: enrollment.id,
  };
}

/**
 * For a request that names no course: the course among the user's
 * enrollments whose allow-list admits the repository (the most recently
 * launched first, so a student in two such courses stays where they work).
 */
async function findCourseByAllowList(
  db: DatabaseClient,
  userId: string,
  repository: NormalisedRepository,
  cache: InteractCache | undefined,
): Promise<CourseRecord | null> {
  const enrollments = await db.enrollment.findMany({
    where: { userId },
    select: {
      courseId: true,
      course: { select: { contentRepositoryAllowList: true, startDate: true } },
      lastLaunchedAt: true,
    },
  });
  const matching = enrollments
    .filter((enrollment) =>
      isRepositoryAllowed(repository, enrollment.course.contentRepositoryAllowList),
    )
    .sort(
      (a, b) =>
        (b.lastLaunchedAt?.getTime() ?? 0) - (a.lastLaunchedAt?.getTime() ?? 0) ||
        b.course.startDate.getTime() - a.course.startDate.getTime(),
    );
  const chosen = matching[0];
  return chosen ? loadCourse(db, { id: chosen.courseId }, cache) : null;
}

/** Whether someone not enrolled could join with a code from their instructor. */
async function hasOpenJoinCode(db: DatabaseClient, courseId: string, now: Date): Promise<boolean> {
  const codes = await db.joinCode.findMany({
    where: {
      courseId,
      role: "STUDENT",
      revokedAt: null,
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    },
    select: { maxUses: true, useCount: true },
  });
  return codes.some((code) => code.maxUses === null || code.useCount < code.maxUses);
}

function summaryOf(course: CourseRecord): InteractCourse {
  return { slug: course.slug, code: course.code, title: course.title, term: course.term };
}

function noCourseAllows(repository: NormalisedRepository): InteractOutcome {
  return {
    kind: "refuse",
    status: 403,
    title: "No course of yours uses this repository",
    message: `None of the courses you are enrolled in allows content from ${repository.url}. If your instructor shared this link, open it from the course page or ask them for the course's join link.`,
  };
}

/** Said the same of every course a user is not in: its name, code and term are its members' business. */
const notEnrolled: InteractOutcome = {
  kind: "refuse",
  status: 403,
  title: "You are not enrolled in this course",
  message:
    "This link opens material of a course you are not enrolled in. Ask your instructor to add you or to share the course's join link.",
};

/** The hub on the status page: its status in plain words, never its technical reason. */
function whatAStudentSeesOf(hub: HubChoice["hub"]) {
  return {
    status: hub.status,
    isSimulated: hub.cluster.isSimulated,
    description: describeHubStatus(hub.status, { isSimulated: hub.cluster.isSimulated }),
  };
}

/**
 * Remembers a student's hub. Not awaited: the choice is deterministic, so a
 * click that races the write picks the same hub; only the first placement
 * (or a replacement for a hub that is gone) writes.
 */
function placeOnHub(
  db: DatabaseClient,
  userId: string,
  courseId: string,
  enrollment: EnrollmentRecord,
  hubId: string,
  cache: InteractCache | undefined,
): void {
  const previousHubId = enrollment.hubId;
  cache?.enrollments.set(`${userId}:${courseId}`, { id: enrollment.id, hubId });
  db.enrollment
    .updateMany({ where: { id: enrollment.id, hubId: previousHubId }, data: { hubId } })
    .catch(() => cache?.enrollments.delete(`${userId}:${courseId}`));
}
