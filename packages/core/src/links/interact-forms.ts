import type { DatabaseClient } from "@hubfed/db";
import { loadCourse, loadLink, type CourseRecord, type InteractCache } from "./interact-cache";
import type { InteractOutcome, InteractRequest } from "./interact-request";
import { isContentLinkCodeShaped } from "./link-codes";
import {
  assignmentHubPath,
  buildUrlPath,
  defaultTargetFolderOf,
  nbgitpullerHubPath,
  nbgitpullerTargetOf,
} from "./nbgitpuller";
import {
  checkBranchName,
  checkRelativePath,
  describeRefusedRepository,
  isRepositoryAllowed,
  normaliseRepositoryUrl,
  type NormalisedRepository,
} from "./validation";

// Parsing the three forms of an interact request (/i/<code>, the classic
// /interact?course=…&repo=… and the legacy Data 8 ?repo=<name>&path=…) into
// one destination, or the refusal the request earns. Every value that ends
// up in a redirect is validated here or comes from our own records.

interface DestinationOnAnyHub {
  /** The path on the chosen hub: nbgitpuller's git-pull, or an assignment's fetch. */
  hubPath: string;
  linkId: string | null;
  /** The portal path that brings the visitor back here after signing in or joining. */
  returnPath: string;
}

/**
 * The course, when the request names it (a link, `course=`); legacy requests
 * name only a repository, and the course is found by its allow-list.
 */
export type InteractDestination = DestinationOnAnyHub &
  (
    | { course: CourseRecord; repository: NormalisedRepository | null }
    | { course: null; repository: NormalisedRepository }
  );

export type ParsedInteractRequest =
  { ok: true; destination: InteractDestination } | { ok: false; outcome: InteractOutcome };

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
): Promise<ParsedInteractRequest> {
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
  if (!course) return notFound;
  if (link.assignmentId)
    return {
      ok: true,
      destination: {
        course,
        repository: null,
        hubPath: assignmentHubPath(link.assignmentId),
        linkId: link.id,
        returnPath: `/i/${code}`,
      },
    };
  const pull = pullOf(link);
  if (!pull) return notFound;
  return {
    ok: true,
    destination: {
      course,
      repository: pull.repository,
      hubPath: pull.hubPath,
      linkId: link.id,
      returnPath: `/i/${code}`,
    },
  };
}

type PullableLink = Parameters<typeof nbgitpullerTargetOf>[0];
interface LinkPull {
  repository: NormalisedRepository;
  hubPath: string;
}

/**
 * Per link record: its normalised repository and the nbgitpuller path on the hub, or null when
 * the repository is not one we accept. Both follow from the record alone, and the interact cache
 * hands out the same record to every click for its few seconds: worked out once per record,
 * not on every click (URL parsing and query encoding were a tenth of the click path's CPU).
 */
const pulls = new WeakMap<PullableLink, LinkPull | null>();

function pullOf(link: PullableLink): LinkPull | null {
  let pull = pulls.get(link);
  if (pull === undefined) {
    const repository = normaliseRepositoryUrl(link.repositoryUrl);
    pull = repository.ok
      ? {
          repository: repository.repository,
          hubPath: nbgitpullerHubPath(nbgitpullerTargetOf(link)),
        }
      : null;
    pulls.set(link, pull);
  }
  return pull;
}

async function parseClassicForm(
  db: DatabaseClient,
  query: URLSearchParams,
  cache: InteractCache | undefined,
): Promise<ParsedInteractRequest> {
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
      hubPath: nbgitpullerHubPath({
        repositoryUrl: repository.repository.url,
        branch: branch ?? "",
        urlPath: urlPath ?? "",
        targetPath: targetFolder,
      }),
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
function parseLegacyForm(query: URLSearchParams): ParsedInteractRequest {
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
      hubPath: nbgitpullerHubPath({
        repositoryUrl: repository.repository.url,
        branch: branchName,
        urlPath: buildUrlPath({ interface: "CLASSIC", targetFolder, path }),
        targetPath: targetFolder,
      }),
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

/** Reads any of the three forms into one destination, or the refusal it earns. */
export async function parseInteractRequest(
  db: DatabaseClient,
  request: InteractRequest,
  cache: InteractCache | undefined,
): Promise<ParsedInteractRequest> {
  if (request.form === "code") return parseCodeForm(db, request.code, cache);
  if (request.form === "classic") return parseClassicForm(db, request.query, cache);
  return parseLegacyForm(request.query);
}
