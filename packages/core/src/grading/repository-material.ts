import {
  createGitHubClient,
  GitHubOperationError,
  readRepositoryFolder,
  type FolderFile,
} from "@hubfed/github";
import type { LinkVerifierConfig } from "../links/verification";
import type { NormalisedRepository } from "../links/validation";

/**
 * Reading an assignment's folder from the course's content repository at
 * publish time. Like link verification, only GitHub has an API we speak; an
 * assignment from another host is uploaded instead.
 */
export type RepositoryMaterialReader = (target: {
  repository: Pick<NormalisedRepository, "host" | "segments">;
  branch: string;
  path: string;
}) => Promise<
  | { ok: true; files: FolderFile[] }
  | { ok: false; field: "repositoryUrl" | "branch" | "path"; message: string }
>;

export const assignmentFolderLimits = { maxFiles: 200, maxTotalBytes: 20 * 1024 * 1024 };

export function createRepositoryMaterialReader(
  config: LinkVerifierConfig,
): RepositoryMaterialReader {
  const client = createGitHubClient({
    baseUrl: config.githubApiUrl,
    token: config.githubToken,
    timeoutMs: 20_000,
  });
  return async ({ repository, branch, path }) => {
    const [owner, name] = repository.segments;
    if (repository.host !== "github.com" || !owner || !name || repository.segments.length !== 2)
      return {
        ok: false,
        field: "repositoryUrl",
        message:
          "Hubfed reads assignments from GitHub repositories (https://github.com/owner/repository); upload the files for other hosts.",
      };
    try {
      const files = await readRepositoryFolder(
        client,
        { owner, repo: name.replace(/\.git$/, ""), branch, path },
        assignmentFolderLimits,
      );
      return { ok: true, files };
    } catch (error) {
      if (!(error instanceof GitHubOperationError)) throw error;
      const field =
        error.problem === "branch-not-found"
          ? "branch"
          : error.problem === "path-not-found" || error.problem === "rejected"
            ? "path"
            : "repositoryUrl";
      return { ok: false, field, message: error.message };
    }
  };
}
