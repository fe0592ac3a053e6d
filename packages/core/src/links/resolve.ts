import type { DatabaseClient, HubStatus } from "@hubfed/db";
import { describeHubStatus, type HubStatusDescription } from "../hubs/status-description";
import { isContentLinkCodeShaped } from "./link-codes";
import { chooseHub, isHubLaunchable, routableHubSelect, type RoutableHub } from "./hub-choice";
import {
  buildNbgitpullerUrl,
  buildUrlPath,
  defaultTargetFolderOf,
  hubBaseUrl,
  nbgitpullerTargetOf,
  type NbgitpullerTarget,
} from "./nbgitpuller";
import { TtlCache } from "./routing-cache";
import {
  checkBranchName,
  checkRelativePath,
  describeRefusedRepository,
  isRepositoryAllowed,
  normaliseRepositoryUrl,
  type LinkInterfaceName,
  type NormalisedRepository,
} from "./validation";

/**
 * The interact router (SPEC §8, issue 6): `/i/<code>`, the classic
 * `/interact?course=…&repo=…` and the legacy Data 8 `?repo=<name>&path=…`.
 * Given a request and who is asking, it answers what the portal should do:
 * send them to sign in, offer to join, refuse, show the hub's status, or
 * redirect — to a URL built only from our own records (the hub's URL) and
 * validated parameters. The route handlers in apps/portal only translate
 * the outcome into HTTP.
 */

export type InteractRequest =
  | { form: "code"; code: string; userId: string | null }
  | { form: "classic" | "legacy"; query: URLSearchParams; userId: string | null };

export interface InteractCourse {
  slug: string;
  code: string;
  title: string;
  term: string;
}

export type InteractOutcome =
  | { kind: "redirect"; location: string; linkId: string | null; enrollmentId: string }
  /** `next` is a path on the portal (built by us, never taken from the request). */
  | { kind: "sign-in"; next: string }
  | { kind: "join"; course: InteractCourse; next: string }
  | {
      kind: "hub-not-ready";
      course: InteractCourse;
      /** What a student may see: the status, never its technical reason. */
      hub: { status: HubStatus; isSimulated: boolean; description: HubStatusDescription } | null;
      retryAfterSeconds: number;
      next: string;
    }
  | { kind: "refuse"; status: 400 | 403 | 404 | 410; title: string; message: string };

/** Which /interact form a query is: `course=` makes it classic, a bare repository name legacy. */
export function interactFormOf(query: URLSearchParams): "classic" | "legacy" {
  if (query.has("course")) return "classic";
  const repo = query.get("repo") ?? "";
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(repo) ? "legacy" : "classic";
}

// ---------------------------------------------------------------------------
// Records, cached for a few seconds on the hot path

interface LinkRecord {
  id: string;
  courseId: string;
  archivedAt: Date | null;
  repositoryUrl: string;
  branch: string;
  path: string;
  interface: LinkInterfaceName;
  targetPath: string | null;
}

interface CourseRecord extends InteractCourse {
  id: string;
  allowList: string[];
  hubs: RoutableHub[];
}

interface EnrollmentRecord {
  id: string;
  hubId: string | null;
}

export interface InteractCache {
  links: TtlCache<LinkRecord | null>;
  courses: TtlCache<CourseRecord | null>;
  enrollments: TtlCache<EnrollmentRecord>;
}

export function createInteractCache({ ttlMs = 5_000, maxEntries = 100_000 } = {}): InteractCache {
  return {
    links: new TtlCache(ttlMs, 10_000),
    courses: new TtlCache(ttlMs, 10_000),
    enrollments: new TtlCache(ttlMs, maxEntries),
  };
}

// One cache per process, shared by the router and by the services that
// change what it holds (archiving a link drops it here at once). Kept on
// globalThis: the portal's server and Next's bundle each load their own copy
// of this module in the same process, and must share one cache.
const globalForCache = globalThis as typeof globalThis & { hubfedInteractCache?: InteractCache };
export function interactCache(): InteractCache {
  return (globalForCache.hubfedInteractCache ??= createInteractCache());
}

async function loadLink(
  db: DatabaseClient,
  code: string,
  cache: InteractCache | undefined,
): Promise<LinkRecord | null> {
  const cached = cache?.links.get(code);
  if (cached !== undefined) return cached;
  const link = await db.contentLink.findUnique({
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
    },
  });
  cache?.links.set(code, link);
  return link;
}

async function loadCourse(
  db: DatabaseClient,
  where: { id: string } | { slug: string },
  cache: InteractCache | undefined,
): Promise<CourseRecord | null> {
  const key = "id" in where ? `id:${where.id}` : `slug:${where.slug}`;
  const cached = cache?.courses.get(key);
  if (cached !== undefined) return cached;
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
  const record = course
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
  cache?.courses.set(key, record);
  return record;
}

async function loadEnrollment(
  db: DatabaseClient,
  userId: string,
  courseId: string,
  cache: InteractCache | undefined,
): Promise<EnrollmentRecord | null> {
  const key = `${userId}:${courseId}`;
  const cached = cache?.enrollments.get(key);
  if (cached) return cached;
  const enrollment = await db.enrollment.findUnique({
    where: { userId_courseId: { userId, courseId } },
    select: { id: true, hubId: true },
  });
  if (enrollment) cache?.enrollments.set(key, enrollment);
  return enrollment;
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

// ---------------------------------------------------------------------------
// Parsing the three forms into one destination

interface Destination {
  /** The course, when the request names it (a link, `course=`); legacy requests find it. */
  course: CourseRecord | null;
  repository: NormalisedRepository;
  target: NbgitpullerTarget;
  linkId: string | null;
  /** The portal path that brings the visitor back here after signing in or joining. */
  returnPath: string;
}

type Parsed = { ok: true; destination: Destination } | { ok: false; outcome: InteractOutcome };

const refuse = (
  status: 400 | 403 | 404 | 410,
  title: string,
  message: string,
): { ok: false; outcome: InteractOutcome } => ({
  ok: false,
  outcome: { kind: "refuse", status, title, message },
});

const badLink = (message: string) => refuse(400, "This link is not valid", message);

// The user-server interfaces a classic `urlpath` may open.
const urlPathPrefixes = new Set([
  "lab",
  "tree",
  "notebooks",
  "edit",
  "retro",
  "rstudio",
  "shiny",
  "voila",
  "doc",
]);

/** Reads parameters that may appear once each (nbgitpuller's spellings of a name count as one). */
function readSingleParameters<Name extends string>(
  query: URLSearchParams,
  spellings: Record<Name, string[]>,
): { ok: true; values: Record<Name, string | undefined> } | { ok: false; message: string } {
  const values = {} as Record<Name, string | undefined>;
  for (const [name, names] of Object.entries(spellings) as Array<[Name, string[]]>) {
    const found = names.flatMap((spelling) => query.getAll(spelling));
    if (found.length > 1) return { ok: false, message: `The link gives “${name}” more than once.` };
    values[name] = found[0];
  }
  return { ok: true, values };
}

/** Re-serialises only the parameters we understood, so the return path carries nothing else. */
function interactReturnPath(parameters: Array<[string, string | undefined]>): string {
  const kept = parameters.filter((entry): entry is [string, string] => entry[1] !== undefined);
  const search = new URLSearchParams(kept).toString();
  return search ? `/interact?${search}` : "/interact";
}

async function parseCodeForm(
  db: DatabaseClient,
  code: string,
  cache: InteractCache | undefined,
): Promise<Parsed> {
  const notFound = refuse(
    404,
    "Link not found",
    "No content link has this address. Check it against the one your instructor shared.",
  );
  if (!isContentLinkCodeShaped(code)) return notFound;
  const link = await loadLink(db, code, cache);
  if (!link) return notFound;
  if (link.archivedAt)
    return refuse(
      410,
      "This link was retired",
      "The course staff archived this link. Look for a newer one on the course page or ask your instructor.",
    );
  const course = await loadCourse(db, { id: link.courseId }, cache);
  const repository = normaliseRepositoryUrl(link.repositoryUrl);
  if (!course || !repository.ok) return notFound;
  return {
    ok: true,
    destination: {
      course,
      repository: repository.repository,
      target: nbgitpullerTargetOf(link),
      linkId: link.id,
      returnPath: `/i/${code}`,
    },
  };
}

async function parseClassicForm(
  db: DatabaseClient,
  query: URLSearchParams,
  cache: InteractCache | undefined,
): Promise<Parsed> {
  const read = readSingleParameters(query, {
    course: ["course"],
    repo: ["repo"],
    branch: ["branch"],
    urlPath: ["urlpath", "urlPath"],
    targetPath: ["targetPath", "targetpath"],
  });
  if (!read.ok) return badLink(read.message);
  const { course, repo, branch, urlPath, targetPath } = read.values;

  if (repo === undefined)
    return badLink("The link does not say which repository to open (repo=…).");
  const repository = normaliseRepositoryUrl(repo);
  if (!repository.ok) return badLink(`Repository: ${repository.message}`);
  if (branch !== undefined) {
    const problem = checkBranchName(branch);
    if (problem) return badLink(`Branch: ${problem.message}`);
  }
  if (urlPath !== undefined) {
    const problem = checkRelativePath(urlPath, { allowEmpty: false, noun: "urlpath" });
    if (problem) return badLink(problem.message);
    const prefix = urlPath.split("/")[0] ?? "";
    if (!urlPathPrefixes.has(prefix))
      return badLink(
        `The urlpath must open an interface (lab/…, tree/…, rstudio/, shiny/…), not “${prefix}”.`,
      );
  }
  if (targetPath !== undefined) {
    const problem = checkRelativePath(targetPath, { allowEmpty: false, noun: "target folder" });
    if (problem) return badLink(problem.message);
  }

  let courseRecord: CourseRecord | null = null;
  if (course !== undefined) {
    if (!/^[a-z0-9][a-z0-9-]{0,79}$/.test(course))
      return refuse(404, "Course not found", "This link names a course that does not exist.");
    courseRecord = await loadCourse(db, { slug: course }, cache);
    if (!courseRecord)
      return refuse(404, "Course not found", "This link names a course that does not exist.");
    if (!isRepositoryAllowed(repository.repository, courseRecord.allowList))
      return refuse(
        403,
        "Repository not allowed",
        `${courseRecord.code}: ${describeRefusedRepository(repository.repository, courseRecord.allowList, "student")}`,
      );
  }

  const targetFolder = targetPath?.replace(/\/+$/, "") ?? repository.repository.defaultTargetFolder;
  return {
    ok: true,
    destination: {
      course: courseRecord,
      repository: repository.repository,
      target: {
        repositoryUrl: repository.repository.url,
        branch: branch ?? "",
        urlPath: urlPath ?? "",
        targetPath: targetFolder,
      },
      linkId: null,
      returnPath: interactReturnPath([
        ["course", course],
        ["repo", repository.repository.url],
        ["branch", branch],
        ["urlpath", urlPath],
        ["targetPath", targetPath],
      ]),
    },
  };
}

/**
 * The legacy Data 8 form (REFERENCE §1): `repo=<name>&path=<p>[&path=…]
 * [&account=<org>][&branch=<b>]` meant https://github.com/<account or
 * data-8>/<name>, branch gh-pages, open <p> (the last path wins) in the
 * classic notebook.
 */
function parseLegacyForm(query: URLSearchParams): Parsed {
  const read = readSingleParameters(query, {
    repo: ["repo"],
    account: ["account"],
    branch: ["branch"],
  });
  if (!read.ok) return badLink(read.message);
  const name = read.values.repo ?? "";
  const owner = read.values.account ?? "data-8";
  const segmentPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
  if (!segmentPattern.test(name) || name.includes(".."))
    return badLink("The repository name may contain only letters, digits, “-”, “_” and “.”.");
  if (!segmentPattern.test(owner) || owner.includes(".."))
    return badLink("The account name may contain only letters, digits, “-”, “_” and “.”.");
  const repository = normaliseRepositoryUrl(`https://github.com/${owner}/${name}`);
  if (!repository.ok) return badLink(`Repository: ${repository.message}`);
  const branchName = read.values.branch ?? "gh-pages";
  const branchProblem = checkBranchName(branchName);
  if (branchProblem) return badLink(`Branch: ${branchProblem.message}`);
  const paths = query.getAll("path");
  const path = (paths[paths.length - 1] ?? "").replace(/\/+$/, "");
  const pathProblem = checkRelativePath(path, { allowEmpty: true, noun: "path" });
  if (pathProblem) return badLink(pathProblem.message);
  const targetFolder = defaultTargetFolderOf(repository.repository.url);
  return {
    ok: true,
    destination: {
      course: null,
      repository: repository.repository,
      target: {
        repositoryUrl: repository.repository.url,
        branch: branchName,
        urlPath: buildUrlPath({ interface: "CLASSIC", targetFolder, path }),
        targetPath: targetFolder,
      },
      linkId: null,
      returnPath: interactReturnPath([
        ["repo", name],
        ["account", read.values.account],
        ["branch", read.values.branch],
        ["path", path || undefined],
      ]),
    },
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

// ---------------------------------------------------------------------------

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
  const parsed =
    request.form === "code"
      ? await parseCodeForm(db, request.code, cache)
      : request.form === "classic"
        ? await parseClassicForm(db, request.query, cache)
        : parseLegacyForm(request.query);
  if (!parsed.ok) return parsed.outcome;
  const destination = parsed.destination;

  if (!request.userId) return { kind: "sign-in", next: destination.returnPath };

  let course = destination.course;
  if (!course) {
    course = await findCourseByAllowList(db, request.userId, destination.repository, cache);
    if (!course)
      return {
        kind: "refuse",
        status: 403,
        title: "No course of yours uses this repository",
        message: `None of the courses you are enrolled in allows content from ${destination.repository.url}. If your instructor shared this link, open it from the course page or ask them for the course's join link.`,
      };
  }
  const courseSummary: InteractCourse = {
    slug: course.slug,
    code: course.code,
    title: course.title,
    term: course.term,
  };

  const enrollment = await loadEnrollment(db, request.userId, course.id, cache);
  if (!enrollment) {
    if (await hasOpenJoinCode(db, course.id, now))
      return { kind: "join", course: courseSummary, next: destination.returnPath };
    return {
      kind: "refuse",
      status: 403,
      title: "You are not enrolled in this course",
      message: `This link opens material of ${course.code} (${course.term}), and you are not enrolled in it. Ask your instructor to add you or to share the course's join link.`,
    };
  }

  const choice = chooseHub(course.hubs, enrollment.hubId, request.userId);
  const hubBase = choice && isHubLaunchable(choice.hub) ? hubBaseUrl(choice.hub.url) : undefined;
  if (!choice || !hubBase)
    return {
      kind: "hub-not-ready",
      course: courseSummary,
      hub: choice
        ? {
            status: choice.hub.status,
            isSimulated: choice.hub.cluster.isSimulated,
            description: describeHubStatus(choice.hub.status, {
              isSimulated: choice.hub.cluster.isSimulated,
            }),
          }
        : null,
      retryAfterSeconds,
      next: destination.returnPath,
    };
  if (choice.isNewPlacement)
    placeOnHub(db, request.userId, course.id, enrollment, choice.hub.id, cache);

  return {
    kind: "redirect",
    location: buildNbgitpullerUrl(hubBase, destination.target),
    linkId: destination.linkId,
    enrollmentId: enrollment.id,
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
