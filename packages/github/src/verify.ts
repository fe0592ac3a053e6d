import { type GitHubClient } from "./client";
import { GitHubOperationError, toGitHubOperationError, type GitHubProblem } from "./errors";

export type RepositoryPathProblem = Exclude<GitHubProblem, "rejected">;

export type RepositoryPathCheck =
  | { ok: true; defaultBranch: string; kind: "file" | "dir" }
  | { ok: false; problem: RepositoryPathProblem; message: string };

export interface RepositoryPath {
  owner: string;
  repo: string;
  branch: string;
  /** A file or directory in the repository; "" is the root. */
  path: string;
}

/**
 * Whether a content link's target exists: the repository, then the branch,
 * then the path on that branch, stopping at the first that is missing so the
 * answer says which one to fix.
 */
export async function verifyRepositoryPath(
  client: GitHubClient,
  target: RepositoryPath,
  {
    publicOnly = false,
  }: {
    /**
     * Answer only about public repositories: one the client's token can read but the public
     * cannot gets the same answer as one that does not exist, and nothing in it is looked at.
     */
    publicOnly?: boolean;
  } = {},
): Promise<RepositoryPathCheck> {
  const { owner, repo, branch } = target;
  const path = target.path.replace(/^\/+|\/+$/g, "");
  const where = `${owner}/${repo}`;
  try {
    let defaultBranch: string;
    try {
      const { data } = await client.rest.repos.get({ owner, repo });
      const isPublic = !data.private && (data.visibility ?? "public") === "public";
      if (publicOnly && !isPublic)
        throw new GitHubOperationError(
          "repository-not-found",
          `Repository ${where}: not found (404 Not Found)`,
          404,
        );
      defaultBranch = data.default_branch;
    } catch (error) {
      throw toGitHubOperationError(error, `Repository ${where}`, "repository-not-found");
    }
    try {
      await client.rest.repos.getBranch({ owner, repo, branch });
    } catch (error) {
      throw toGitHubOperationError(error, `Branch ${branch} of ${where}`, "branch-not-found");
    }
    try {
      const content = await client.rest.repos.getContent({ owner, repo, path, ref: branch });
      return { ok: true, defaultBranch, kind: Array.isArray(content.data) ? "dir" : "file" };
    } catch (error) {
      throw toGitHubOperationError(
        error,
        `${path === "" ? "The root" : path} on ${branch} of ${where}`,
        "path-not-found",
      );
    }
  } catch (error) {
    const failure = toGitHubOperationError(error, `Checking ${where}`);
    // Everything GitHub refuses here is a reason the link cannot be checked: say so as access.
    const problem: RepositoryPathProblem =
      failure.problem === "rejected" ? "unauthorized" : failure.problem;
    return { ok: false, problem, message: failure.message };
  }
}
