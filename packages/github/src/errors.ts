/** What went wrong talking to GitHub, in terms callers act on. */
export type GitHubProblem =
  | "repository-not-found"
  | "branch-not-found"
  | "path-not-found"
  | "unauthorized"
  | "unreachable"
  /** GitHub understood and refused (422 and other 4xx): the message says why. */
  | "rejected";

/** A failed GitHub operation. Its message names the step and GitHub's answer, never the token. */
export class GitHubOperationError extends Error {
  constructor(
    readonly problem: GitHubProblem,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "GitHubOperationError";
  }
}

interface OctokitLikeError {
  status?: unknown;
  response?: { data?: unknown } | undefined;
  message?: unknown;
}

/** GitHub's own words from an error response: its message and any field errors. */
function githubMessageOf(error: OctokitLikeError): string {
  const data = error.response?.data;
  if (typeof data === "object" && data !== null) {
    const { message, errors } = data as { message?: unknown; errors?: unknown };
    const details = Array.isArray(errors)
      ? errors
          .map((item) =>
            typeof item === "object" && item !== null && "message" in item
              ? String((item as { message: unknown }).message)
              : undefined,
          )
          .filter((item): item is string => item !== undefined)
      : [];
    if (typeof message === "string") return [message, ...details].join(": ");
  }
  return typeof error.message === "string" ? error.message : "unknown error";
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as OctokitLikeError | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** True when GitHub answered 404 (as opposed to not answering). */
export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404 && (error as OctokitLikeError).response !== undefined;
}

/**
 * Turns an Octokit failure into a GitHubOperationError. `whatWasMissing`
 * says what a 404 means at this step (GitHub answers 404 both for a missing
 * repository and for one the token may not see).
 */
export function toGitHubOperationError(
  error: unknown,
  step: string,
  whatWasMissing: GitHubProblem = "repository-not-found",
): GitHubOperationError {
  if (error instanceof GitHubOperationError) return error;
  const failure = (error ?? {}) as OctokitLikeError;
  const status = statusOf(error);
  if (failure.response === undefined || status === undefined) {
    const cause = typeof failure.message === "string" ? failure.message : String(error);
    return new GitHubOperationError("unreachable", `${step}: GitHub did not answer (${cause})`);
  }
  const said = githubMessageOf(failure);
  if (status === 401)
    return new GitHubOperationError(
      "unauthorized",
      `${step}: GitHub refused the token (401 ${said})`,
      status,
    );
  if (status === 403)
    return new GitHubOperationError(
      "unauthorized",
      `${step}: the token may not do this (403 ${said})`,
      status,
    );
  if (status === 404)
    return new GitHubOperationError(whatWasMissing, `${step}: not found (404 ${said})`, status);
  if (status === 429 || status >= 500)
    return new GitHubOperationError(
      "unreachable",
      `${step}: GitHub is unavailable (${status} ${said})`,
      status,
    );
  return new GitHubOperationError(
    "rejected",
    `${step}: GitHub refused (${status} ${said})`,
    status,
  );
}
