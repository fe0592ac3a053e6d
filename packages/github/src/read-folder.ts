import { type GitHubClient } from "./client";
import { GitHubOperationError, toGitHubOperationError } from "./errors";
import type { RepositoryPath } from "./verify";

export interface FolderFile {
  /** Relative to the folder read, '/'-separated. */
  path: string;
  content: Uint8Array;
}

export interface FolderLimits {
  maxFiles: number;
  maxTotalBytes: number;
}

/**
 * Every file under a folder of a repository at a branch (an assignment's
 * notebook, tests/ and support files), through the contents API. Refuses,
 * rather than truncates, a folder over the limits: half an assignment is
 * worse than none.
 */
export async function readRepositoryFolder(
  client: GitHubClient,
  target: RepositoryPath,
  limits: FolderLimits,
): Promise<FolderFile[]> {
  const { owner, repo, branch } = target;
  const root = target.path.replace(/^\/+|\/+$/g, "");
  const where = `${owner}/${repo}`;
  const files: FolderFile[] = [];
  let totalBytes = 0;

  async function readDirectory(directory: string): Promise<void> {
    let entries;
    try {
      entries = (await client.rest.repos.getContent({ owner, repo, path: directory, ref: branch }))
        .data;
    } catch (error) {
      throw toGitHubOperationError(
        error,
        `${directory === "" ? "The root" : directory} on ${branch} of ${where}`,
        "path-not-found",
      );
    }
    if (!Array.isArray(entries))
      throw new GitHubOperationError(
        "path-not-found",
        `${directory} on ${branch} of ${where} is a file; name the folder that holds the notebook and tests/`,
      );
    for (const entry of entries) {
      if (entry.type === "dir") await readDirectory(entry.path);
      else if (entry.type === "file") {
        if (files.length >= limits.maxFiles)
          throw new GitHubOperationError(
            "rejected",
            `${where}/${root} has more than ${limits.maxFiles} files`,
          );
        let content: Uint8Array;
        try {
          const file = (
            await client.rest.repos.getContent({ owner, repo, path: entry.path, ref: branch })
          ).data;
          if (Array.isArray(file) || file.type !== "file" || !("content" in file))
            throw new GitHubOperationError("path-not-found", `${entry.path} is not a file`);
          content = Buffer.from(file.content, "base64");
        } catch (error) {
          throw toGitHubOperationError(error, `${entry.path} on ${branch} of ${where}`);
        }
        totalBytes += content.byteLength;
        if (totalBytes > limits.maxTotalBytes)
          throw new GitHubOperationError(
            "rejected",
            `${where}/${root} is larger than ${Math.round(limits.maxTotalBytes / 1024 / 1024)} MB`,
          );
        const relative = root === "" ? entry.path : entry.path.slice(root.length + 1);
        files.push({ path: relative, content });
      }
    }
  }

  await readDirectory(root);
  return files;
}
