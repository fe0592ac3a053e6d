import type { LinkInterfaceName } from "./validation";

/**
 * nbgitpuller link building (REFERENCE §1). Inputs are already validated
 * (validation.ts); this module only assembles. The origin comes from the
 * hub's record, never from a link or a request.
 */

function encodePathSegments(path: string): string {
  return path
    .split("/")
    .filter((segment) => segment.length > 0)
    .map(encodeURIComponent)
    .join("/");
}

function joinSegments(...parts: string[]): string {
  return parts.filter((part) => part.length > 0).join("/");
}

/**
 * Where the browser goes after the pull, relative to the user's server:
 * JupyterLab `lab/tree/<target>/<path>`, classic `tree/<target>/<path>`,
 * RStudio `rstudio/`, Shiny `shiny/<target>/<path>/` (an app folder).
 */
export function buildUrlPath(input: {
  interface: LinkInterfaceName;
  targetFolder: string;
  path: string;
}): string {
  const location = joinSegments(
    encodePathSegments(input.targetFolder),
    encodePathSegments(input.path),
  );
  switch (input.interface) {
    case "LAB":
      return `lab/tree/${location}`;
    case "CLASSIC":
      return `tree/${location}`;
    case "RSTUDIO":
      return "rstudio/";
    case "SHINY":
      return `shiny/${location}/`;
  }
}

/**
 * Hub base URLs already worked out, by the record's URL: every click asks for one, a federation
 * has a few thousand hubs, and parsing a URL per click was measurable on the click path. Cleared
 * whole if it ever grows past the bound.
 */
const hubBases = new Map<string, string | undefined>();
const hubBasesBound = 10_000;

/** The hub's base URL from its record: `<origin>[<prefix>]`, without a trailing slash. */
export function hubBaseUrl(hubUrl: string): string | undefined {
  if (hubBases.has(hubUrl)) return hubBases.get(hubUrl);
  const base = parseHubBaseUrl(hubUrl);
  if (hubBases.size >= hubBasesBound) hubBases.clear();
  hubBases.set(hubUrl, base);
  return base;
}

function parseHubBaseUrl(hubUrl: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(hubUrl);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
  if (parsed.username || parsed.password) return undefined;
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}

/** Query encoding with %20 for spaces (never “+”, which some servers keep literally). */
function encodeQuery(parameters: Array<[string, string]>): string {
  return parameters
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
}

export interface NbgitpullerTarget {
  repositoryUrl: string;
  /** Empty: the repository's default branch (nbgitpuller asks the remote). */
  branch: string;
  /** Empty: nbgitpuller's default landing page. */
  urlPath: string;
  targetPath: string;
}

/**
 * `<hub>/hub/user-redirect/git-pull?repo=…&branch=…&urlpath=…&targetPath=…`.
 * The target folder is always explicit, so the folder a student's copy
 * lives in never depends on nbgitpuller's defaults.
 */
export function buildNbgitpullerUrl(hubBase: string, target: NbgitpullerTarget): string {
  return `${hubBase}${nbgitpullerHubPath(target)}`;
}

/** The same, as a path on any hub: what the interact router appends to the chosen hub's base. */
export function nbgitpullerHubPath(target: NbgitpullerTarget): string {
  const parameters: Array<[string, string]> = [["repo", target.repositoryUrl]];
  if (target.branch) parameters.push(["branch", target.branch]);
  if (target.urlPath) parameters.push(["urlpath", target.urlPath]);
  parameters.push(["targetPath", target.targetPath]);
  return `/hub/user-redirect/git-pull?${encodeQuery(parameters)}`;
}

/**
 * An assignment's link: the hub starts the student's server (user-redirect)
 * and the autograder's server extension fetches the assignment into it
 * (docs/adr/0010-autograder.md). The id is one of our own records.
 */
export function assignmentHubPath(assignmentId: string): string {
  return `/hub/user-redirect/hubfed/assignments/${encodeURIComponent(assignmentId)}`;
}

/** The nbgitpuller target of a stored content link. */
export function nbgitpullerTargetOf(link: {
  repositoryUrl: string;
  branch: string;
  path: string;
  interface: LinkInterfaceName;
  targetPath: string | null | undefined;
}): NbgitpullerTarget {
  const targetFolder = link.targetPath ?? defaultTargetFolderOf(link.repositoryUrl);
  return {
    repositoryUrl: link.repositoryUrl,
    branch: link.branch,
    targetPath: targetFolder,
    urlPath: buildUrlPath({ interface: link.interface, targetFolder, path: link.path }),
  };
}

/** nbgitpuller's own default: the repository URL's last segment (trailing “/” stripped, “.git” kept). */
export function defaultTargetFolderOf(repositoryUrl: string): string {
  const segments = repositoryUrl.replace(/\/+$/, "").split("/");
  return segments[segments.length - 1] ?? "";
}
