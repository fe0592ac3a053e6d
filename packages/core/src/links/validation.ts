import { z } from "zod";

/**
 * Validation of everything a content link carries (SPEC §8, REFERENCE §1).
 * Pure: no database, no network. nbgitpuller passes `repo` to `git clone`,
 * joins `targetPath` onto the student's home and string-concatenates
 * `urlpath` onto the server URL, and upstream stops none of the dangerous
 * values, so the portal refuses them itself. Every refusal names the field
 * and says what to change.
 */

export const linkInterfaces = ["LAB", "CLASSIC", "RSTUDIO", "SHINY"] as const;
export type LinkInterfaceName = (typeof linkInterfaces)[number];

// C0 and C1 controls, DEL, and the bidirectional overrides that make a path
// read differently from what it is. Matching control characters is the point.
const controlCharacterPattern =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

function hasControlCharacter(value: string): boolean {
  return controlCharacterPattern.test(value);
}

export interface ValidationProblem {
  message: string;
}

// ---------------------------------------------------------------------------
// Repository URLs and allow-lists

/** A normalised allow-list entry: a host, or a host with path prefix segments (an organisation). */
export interface AllowListEntry {
  host: string;
  pathPrefix: string[];
}

const hostPattern =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const repositorySegmentPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

/**
 * Parses an allow-list entry as stored on the course: `github.com` or
 * `github.com/data-8` (a scheme in front is tolerated and dropped). Returns
 * undefined for an entry that cannot mean anything safe.
 */
export function parseAllowListEntry(entry: string): AllowListEntry | undefined {
  const withoutScheme = entry
    .trim()
    .toLowerCase()
    .replace(/^https:\/\//, "");
  const [host, ...segments] = withoutScheme.replace(/\/+$/, "").split("/");
  if (!host || !hostPattern.test(host) || host.startsWith("xn--") || host.includes(".xn--"))
    return undefined;
  if (segments.some((segment) => !repositorySegmentPattern.test(segment))) return undefined;
  return { host, pathPrefix: segments };
}

export interface NormalisedRepository {
  /** `https://<host>/<segments…>`: lowercase host, no trailing slash, no query. */
  url: string;
  host: string;
  segments: string[];
  /** The folder nbgitpuller clones into by default: the last segment as written (`.git` kept). */
  defaultTargetFolder: string;
}

/**
 * Checks a repository URL's shape (HTTPS, no credentials, no port, no query
 * or fragment, plain path segments) and normalises it. The allow-list is a
 * separate check (`isRepositoryAllowed`) because the legacy router form
 * looks for the course whose list admits the repository.
 */
export function normaliseRepositoryUrl(
  raw: string,
): { ok: true; repository: NormalisedRepository } | { ok: false; message: string } {
  const value = raw.trim();
  const refuse = (message: string) => ({ ok: false as const, message });
  if (value.length === 0) return refuse("Enter the repository's HTTPS URL.");
  if (value.length > 500) return refuse("The repository URL is too long (500 characters at most).");
  if (value.startsWith("-"))
    return refuse("A repository URL cannot start with “-” (git would read it as an option).");
  if (hasControlCharacter(value) || /\s/u.test(value))
    return refuse("The repository URL contains spaces or control characters.");
  if (value.includes("\\")) return refuse("The repository URL cannot contain backslashes.");
  const schemeMatch = /^([a-z][a-z0-9+.-]*):/i.exec(value);
  if (!schemeMatch)
    return refuse("Enter a full HTTPS URL, like https://github.com/your-org/your-repository.");
  const scheme = schemeMatch[1]!.toLowerCase();
  if (scheme !== "https")
    return refuse(
      `Only HTTPS repository URLs are accepted (not ${scheme}://). Use the https:// address of the repository.`,
    );
  if (!/^https:\/\/[^/]/i.test(value))
    return refuse("Write the URL as https://host/organisation/repository.");
  if (value.includes("%"))
    return refuse(
      "The repository URL cannot contain percent-encoded characters; write it as it appears in the browser.",
    );
  if (/[?#]/.test(value))
    return refuse("Remove the “?…” or “#…” part: a repository URL has no query or fragment.");
  const authority = value.slice("https://".length).split("/")[0]!;
  if (authority.includes("@"))
    return refuse(
      "Remove the user name or password from the URL: credentials never go into a content link.",
    );
  if (authority.includes(":"))
    return refuse(
      "Remove the port from the URL: repositories are reached on the standard HTTPS port.",
    );
  if (!/^[A-Za-z0-9.-]+$/.test(authority))
    return refuse(
      "The host name may contain only ASCII letters, digits, dots and dashes (internationalised look-alike names are refused).",
    );
  const host = authority.toLowerCase().replace(/\.$/, "");
  if (!hostPattern.test(host) || host.split(".").some((label) => label.startsWith("xn--")))
    return refuse(`“${host}” is not a valid host name.`);

  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return refuse("This is not a valid URL.");
  }
  // The WHATWG parser must agree with the checks above; anything it
  // reinterprets (credentials, ports, hosts) is refused rather than guessed.
  if (parsed.username || parsed.password || parsed.port || parsed.hostname !== host)
    return refuse("This URL's host could not be read unambiguously.");

  const segments = value
    .slice("https://".length + authority.length)
    .replace(/\/+$/, "")
    .split("/")
    .slice(1);
  if (segments.length < 2)
    return refuse(
      "Give the whole repository address: https://host/organisation/repository (the organisation alone is not a repository).",
    );
  for (const segment of segments) {
    if (segment === "") return refuse("The repository URL contains an empty path segment (“//”).");
    if (segment === "." || segment === "..")
      return refuse("The repository URL cannot contain “.” or “..” segments.");
    if (!repositorySegmentPattern.test(segment))
      return refuse(
        `“${segment}” is not a valid organisation or repository name (letters, digits, “-”, “_” and “.”, not starting with “.” or “-”).`,
      );
  }
  const last = segments[segments.length - 1]!;
  return {
    ok: true,
    repository: {
      url: `https://${host}/${segments.join("/")}`,
      host,
      segments,
      defaultTargetFolder: last,
    },
  };
}

function stripGitSuffix(segment: string): string {
  return segment.toLowerCase().replace(/\.git$/, "");
}

/**
 * Whether a normalised repository is admitted by an allow-list: the host
 * must match exactly (no suffix or look-alike matching) and, for an
 * organisation entry, the leading path segments too (case-insensitively,
 * as GitHub treats organisation names).
 */
export function isRepositoryAllowed(
  repository: Pick<NormalisedRepository, "host" | "segments">,
  allowList: readonly string[],
): boolean {
  return allowList.some((raw) => {
    const entry = parseAllowListEntry(raw);
    if (!entry || entry.host !== repository.host) return false;
    // An organisation entry admits its repositories; a repository entry admits itself.
    if (entry.pathPrefix.length > repository.segments.length) return false;
    return entry.pathPrefix.every(
      (segment, index) =>
        stripGitSuffix(segment) === stripGitSuffix(repository.segments[index] ?? ""),
    );
  });
}

export function describeAllowList(allowList: readonly string[]): string {
  const entries = allowList.map(parseAllowListEntry).filter((entry) => entry !== undefined);
  if (entries.length === 0) return "This course allows no repositories yet.";
  return `This course allows repositories from ${entries
    .map((entry) => [entry.host, ...entry.pathPrefix].join("/"))
    .join(", ")}.`;
}

/**
 * The one message for a repository a course refuses, worded for who reads
 * it: the course's staff can change the list (instructors on the Links page),
 * a student can only ask.
 */
export function describeRefusedRepository(
  repository: Pick<NormalisedRepository, "host" | "segments">,
  allowList: readonly string[],
  reader: "staff" | "student",
): string {
  const owner = [repository.host, repository.segments[0]].filter(Boolean).join("/");
  const next =
    reader === "staff"
      ? `An instructor of the course can add ${owner} under "Allowed repositories" on the course's Links page.`
      : "Ask your instructor to allow it, or to share a link that comes from the course's own material.";
  return `${owner} is not among this course's allowed repositories. ${describeAllowList(allowList)} ${next}`;
}

/** How many entries a course's allow-list holds at most. */
export const maxAllowListEntries = 20;

/**
 * One entry of a course's allow-list as instructors (and requesters) give
 * it: a GitHub organisation or repository (`github.com/data-8`,
 * `https://github.com/data-8/materials`), stored normalised without the
 * scheme. GitHub, because that is where the portal checks links exist; an
 * organisation at least, because a bare host would admit anyone's
 * repository — that wider rule is for ops to set.
 */
export const contentSourceSchema = z
  .string()
  .trim()
  .max(200, "must be at most 200 characters")
  .transform((value, context) => {
    const entry = parseAllowListEntry(value);
    if (!entry) {
      context.addIssue({
        code: "custom",
        message: "must look like github.com/your-organisation (or …/your-repository)",
      });
      return z.NEVER;
    }
    if (entry.host !== "github.com") {
      context.addIssue({
        code: "custom",
        message: "must be on github.com, where the portal checks that linked material exists",
      });
      return z.NEVER;
    }
    if (entry.pathPrefix.length === 0) {
      context.addIssue({
        code: "custom",
        message: "name an organisation or a repository, e.g. github.com/your-organisation",
      });
      return z.NEVER;
    }
    return [entry.host, ...entry.pathPrefix].join("/");
  });

export const contentSourcesSchema = z
  .array(contentSourceSchema)
  .max(maxAllowListEntries, `at most ${maxAllowListEntries} entries`)
  .transform((entries) => [...new Set(entries)]);

// ---------------------------------------------------------------------------
// Branch names: git check-ref-format for refs/heads/<name>

export function checkBranchName(branch: string): ValidationProblem | undefined {
  const refuse = (message: string) => ({ message });
  if (branch.length === 0) return refuse("Enter a branch name, for example main.");
  if (branch.length > 255) return refuse("Branch names are at most 255 characters.");
  if (branch.startsWith("-"))
    return refuse("A branch name cannot start with “-” (git would read it as an option).");
  if (hasControlCharacter(branch) || /\s/u.test(branch))
    return refuse("A branch name cannot contain spaces or control characters.");
  if (branch === "@") return refuse("“@” alone is not a valid branch name.");
  if (branch.includes("@{")) return refuse("A branch name cannot contain “@{”.");
  if (branch.includes("..")) return refuse("A branch name cannot contain “..”.");
  const forbidden = ["~", "^", ":", "?", "*", "[", "\\"].find((character) =>
    branch.includes(character),
  );
  if (forbidden) return refuse(`A branch name cannot contain “${forbidden}”.`);
  if (branch.includes("%"))
    return refuse("Write the branch name as it is, without percent-encoding.");
  if (branch.startsWith("/") || branch.endsWith("/") || branch.includes("//"))
    return refuse("A branch name cannot start or end with “/” or contain “//”.");
  if (branch.endsWith(".")) return refuse("A branch name cannot end with “.”.");
  for (const component of branch.split("/")) {
    if (component.startsWith(".")) return refuse("No part of a branch name may start with “.”.");
    if (component.endsWith(".lock"))
      return refuse("No part of a branch name may end with “.lock”.");
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Paths inside the repository and the student's home

/**
 * Checks a relative path (a file or folder in the repository, a target
 * folder in the student's home, or a router `urlpath`): never absolute,
 * never leaving its root, never into dot-folders (`.ipython/…/startup`
 * would run code at the student's next start), never encoded. The
 * NFKC form is checked too, so full-width dots cannot stand in for `..`.
 */
export function checkRelativePath(
  value: string,
  { allowEmpty, noun }: { allowEmpty: boolean; noun: string },
): ValidationProblem | undefined {
  const refuse = (message: string) => ({ message });
  if (value.length === 0) return allowEmpty ? undefined : refuse(`Enter the ${noun}.`);
  if (value.length > 500) return refuse(`The ${noun} is too long (500 characters at most).`);
  for (const form of new Set([value, value.normalize("NFKC")])) {
    if (hasControlCharacter(form))
      return refuse(`The ${noun} cannot contain control characters or line breaks.`);
    if (form.includes("\\")) return refuse(`The ${noun} cannot contain backslashes; use “/”.`);
    if (form.includes("%"))
      return refuse(
        `The ${noun} cannot contain “%”: write it as it appears in the repository, without percent-encoding.`,
      );
    if (/[?#]/.test(form)) return refuse(`The ${noun} cannot contain “?” or “#”.`);
    if (form.startsWith("/") || /^[A-Za-z]:/.test(form) || form.startsWith("~"))
      return refuse(`The ${noun} must be relative: remove the leading “/”, “~” or drive letter.`);
    const segments = form.replace(/\/$/, "").split("/");
    for (const segment of segments) {
      if (segment === "") return refuse(`The ${noun} cannot contain an empty segment (“//”).`);
      if (segment === "..")
        return refuse(`The ${noun} cannot contain “..”: it must stay inside its folder.`);
      if (segment === ".") return refuse(`The ${noun} cannot contain “.” segments.`);
      if (segment.startsWith("."))
        return refuse(
          `The ${noun} cannot name hidden files or folders (“${segment}”): dot-folders hold configuration that runs code.`,
        );
      if (segment.startsWith("-")) return refuse(`No part of the ${noun} may start with “-”.`);
      if (segment.trim() !== segment)
        return refuse(`No part of the ${noun} may start or end with a space.`);
    }
  }
  return undefined;
}

/** Trailing slashes dropped: `folder/` and `folder` are the same place. */
export function normaliseRelativePath(value: string): string {
  return value.trim().replace(/\/+$/, "");
}

// ---------------------------------------------------------------------------
// The content link form

export const contentLinkDraftSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, "Give the link a title students will recognise.")
    .max(200, "Titles are at most 200 characters.")
    .refine((value) => !hasControlCharacter(value), "The title cannot contain control characters."),
  repositoryUrl: z.string().max(2000),
  branch: z.string().trim().max(300),
  path: z.string().trim().max(1000).default(""),
  interface: z.enum(linkInterfaces, {
    error: "Choose the interface: JupyterLab, classic notebook, RStudio or Shiny.",
  }),
  targetPath: z
    .string()
    .trim()
    .max(1000)
    .optional()
    .transform((value) => (value === "" ? undefined : value)),
});
export type ContentLinkDraft = z.input<typeof contentLinkDraftSchema>;

export interface ValidContentLink {
  title: string;
  repository: NormalisedRepository;
  branch: string;
  path: string;
  interface: LinkInterfaceName;
  /** Undefined: the repository's default folder (nbgitpuller's default). */
  targetPath: string | undefined;
}

/**
 * Validates a link as an instructor builds it, against the course's
 * allow-list. Returns zod issues with field paths so forms show each
 * message beside its field.
 */
export function validateContentLink(
  draft: unknown,
  allowList: readonly string[],
): { success: true; data: ValidContentLink } | { success: false; error: z.ZodError } {
  const issues: z.core.$ZodIssue[] = [];
  const addIssue = (path: string, message: string) =>
    issues.push({ code: "custom", path: [path], message, input: undefined });

  const shape = contentLinkDraftSchema.safeParse(draft);
  if (!shape.success) return { success: false, error: shape.error };
  const input = shape.data;

  const repository = normaliseRepositoryUrl(input.repositoryUrl);
  if (!repository.ok) addIssue("repositoryUrl", repository.message);
  else if (!isRepositoryAllowed(repository.repository, allowList))
    addIssue("repositoryUrl", describeRefusedRepository(repository.repository, allowList, "staff"));
  const branchProblem = checkBranchName(input.branch);
  if (branchProblem) addIssue("branch", branchProblem.message);
  const pathProblem = checkRelativePath(input.path, {
    allowEmpty: true,
    noun: "path in the repository",
  });
  if (pathProblem) addIssue("path", pathProblem.message);
  if (input.targetPath !== undefined) {
    const targetProblem = checkRelativePath(input.targetPath, {
      allowEmpty: false,
      noun: "target folder",
    });
    if (targetProblem) addIssue("targetPath", targetProblem.message);
  }
  if (issues.length > 0 || !repository.ok) return { success: false, error: new z.ZodError(issues) };
  return {
    success: true,
    data: {
      title: input.title,
      repository: repository.repository,
      branch: input.branch,
      path: normaliseRelativePath(input.path),
      interface: input.interface,
      targetPath:
        input.targetPath === undefined ? undefined : normaliseRelativePath(input.targetPath),
    },
  };
}
