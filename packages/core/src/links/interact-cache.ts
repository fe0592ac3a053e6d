import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { DatabaseClient } from "@hubfed/db";
import { routableHubSelect, type RoutableHub } from "../hubs/routing";
import type { InteractCourse } from "./interact-request";
import { TtlCache } from "./routing-cache";
import type { LinkInterfaceName } from "./validation";

// The records the interact router reads on every click (link, course with its
// hubs, enrollment), cached for a few seconds on the hot path.

interface LinkRecord {
  id: string;
  courseId: string;
  archivedAt: Date | null;
  repositoryUrl: string;
  branch: string;
  path: string;
  interface: LinkInterfaceName;
  targetPath: string | null;
  /** Set for an assignment's link (it fetches the assignment instead of pulling a repository). */
  assignmentId: string | null;
}

export interface CourseRecord extends InteractCourse {
  id: string;
  allowList: string[];
  hubs: RoutableHub[];
}

export interface EnrollmentRecord {
  id: string;
  hubId: string | null;
}

export interface InteractCache {
  links: TtlCache<LinkRecord | null>;
  courses: TtlCache<CourseRecord | null>;
  /** Holds no nulls (see loadEnrollment); typed so to load through it. */
  enrollments: TtlCache<EnrollmentRecord | null>;
  /** Per course: every enrollment by user id (see loadEnrollment). */
  rosters: TtlCache<Map<string, EnrollmentRecord>>;
}

export function createInteractCache({ ttlMs = 5_000, maxEntries = 100_000 } = {}): InteractCache {
  return {
    links: new TtlCache(ttlMs, 10_000),
    courses: new TtlCache(ttlMs, 10_000),
    enrollments: new TtlCache(ttlMs, maxEntries),
    rosters: new TtlCache(ttlMs, 2_000),
  };
}

// One cache per process, shared by the router and by the services that
// change what it holds (archiving a link drops it here at once). Kept on
// globalThis: the portal's server and Next's bundle each load their own copy
// of this module in the same process, and must share one cache.
const globalForCache = globalThis as typeof globalThis & {
  hubfedInteractCache?: InteractCache;
  hubfedInteractCacheDrops?: InteractCacheDrops;
};
export function interactCache(): InteractCache {
  return (globalForCache.hubfedInteractCache ??= createInteractCache());
}

type InteractCacheName = keyof InteractCache;
const cacheNames = new Set<string>(["links", "courses", "enrollments", "rosters"]);
const dropChannel = "hubfed:interact-cache:drop";

/** Drops records from one cache here and in every other portal process. */
export interface InteractCacheDrops {
  drop(name: InteractCacheName, key: string): void;
}

/**
 * Tells every portal process that a record changed now (a link archived, an allow-list edited):
 * the portal runs several processes (one per core, and replicas), each with its own cache, and a
 * drop heard only where it was made would let the others serve the old record until it expires.
 * Drops go out on Redis (publish/subscribe); when Redis is away they are lost, and the others'
 * entries end with their few seconds of life, as before.
 */
export function shareInteractCacheDrops({
  publisher,
  subscriber,
  cache = interactCache(),
}: {
  publisher: Redis;
  /** A connection of its own: a subscribed Redis connection can do nothing else. */
  subscriber: Redis;
  cache?: InteractCache;
}): InteractCacheDrops & { ready: Promise<unknown> } {
  const origin = randomUUID();
  subscriber.on("message", (channel: string, text: string) => {
    if (channel !== dropChannel) return;
    try {
      const heard = JSON.parse(text) as { origin?: unknown; name?: unknown; key?: unknown };
      if (heard.origin === origin || typeof heard.key !== "string") return;
      if (typeof heard.name === "string" && cacheNames.has(heard.name))
        cache[heard.name as InteractCacheName].delete(heard.key);
    } catch {
      // Not one of ours: nothing to drop.
    }
  });
  return {
    ready: subscriber.subscribe(dropChannel),
    drop(name, key) {
      cache[name].delete(key);
      publisher.publish(dropChannel, JSON.stringify({ origin, name, key })).catch(() => undefined);
    },
  };
}

/** Connects this process's interact cache (interactCache()) to the other portal processes'. */
export function shareProcessInteractCacheDrops(connections: {
  publisher: Redis;
  subscriber: Redis;
}): Promise<unknown> {
  const drops = shareInteractCacheDrops(connections);
  globalForCache.hubfedInteractCacheDrops = drops;
  return drops.ready;
}

/** Drops a record that changed from the interact cache, in this process and the others. */
export function dropFromInteractCache(name: InteractCacheName, key: string): void {
  if (globalForCache.hubfedInteractCacheDrops)
    globalForCache.hubfedInteractCacheDrops.drop(name, key);
  else interactCache()[name].delete(key);
}

// The loaders below are module functions, passed on in inline arrows: a named closure made on
// every call costs a helper call per click where the portal's server runs under tsx (it keeps
// function names), which the interact benchmark's profile showed.

function findLink(db: DatabaseClient, code: string): Promise<LinkRecord | null> {
  return db.contentLink.findUnique({
    where: { code },
    select: {
      id: true,
      courseId: true,
      archivedAt: true,
      repositoryUrl: true,
      branch: true,
      path: true,
      interface: true,
      targetPath: true,
      assignmentId: true,
    },
  });
}

export async function loadLink(
  db: DatabaseClient,
  code: string,
  cache: InteractCache | undefined,
): Promise<LinkRecord | null> {
  return cache ? cache.links.load(code, () => findLink(db, code)) : findLink(db, code);
}

async function findCourse(
  db: DatabaseClient,
  where: { id: string } | { slug: string },
): Promise<CourseRecord | null> {
  const course = await db.course.findUnique({
    where,
    select: {
      id: true,
      slug: true,
      code: true,
      title: true,
      term: true,
      contentRepositoryAllowList: true,
      hubs: { select: routableHubSelect },
    },
  });
  return course
    ? {
        id: course.id,
        slug: course.slug,
        code: course.code,
        title: course.title,
        term: course.term,
        allowList: course.contentRepositoryAllowList,
        hubs: course.hubs,
      }
    : null;
}

export async function loadCourse(
  db: DatabaseClient,
  where: { id: string } | { slug: string },
  cache: InteractCache | undefined,
): Promise<CourseRecord | null> {
  if (!cache) return findCourse(db, where);
  const key = "id" in where ? `id:${where.id}` : `slug:${where.slug}`;
  return cache.courses.load(key, () => findCourse(db, where));
}

function findEnrollment(
  db: DatabaseClient,
  userId: string,
  courseId: string,
): Promise<EnrollmentRecord | null> {
  return db.enrollment.findUnique({
    where: { userId_courseId: { userId, courseId } },
    select: { id: true, hubId: true },
  });
}

async function findRoster(
  db: DatabaseClient,
  courseId: string,
): Promise<Map<string, EnrollmentRecord>> {
  const rows = await db.enrollment.findMany({
    where: { courseId },
    select: { id: true, hubId: true, userId: true },
  });
  return new Map(rows.map(({ userId: id, ...enrollment }) => [id, enrollment]));
}

export async function loadEnrollment(
  db: DatabaseClient,
  userId: string,
  courseId: string,
  cache: InteractCache | undefined,
): Promise<EnrollmentRecord | null> {
  if (!cache) return findEnrollment(db, userId, courseId);
  const key = `${userId}:${courseId}`;
  // This process's own word first: a placement it just made (placeOnHub) is set here.
  const own = cache.enrollments.get(key);
  if (own) return own;
  // At a lecture's start each student clicks once or twice: a query per student was the
  // database round trip of nearly every click (issue 21). The course's whole roster is one
  // query, shared by its students for the cache's few seconds.
  const roster = await cache.rosters.load(courseId, () => findRoster(db, courseId));
  const listed = roster.get(userId);
  if (listed) return listed;
  // Not on the roster as loaded: perhaps enrolled since. Not enrolled is not kept: a student
  // who has just joined must not be turned away.
  return cache.enrollments.load(
    key,
    () => findEnrollment(db, userId, courseId),
    (enrollment) => enrollment !== null,
  );
}
