import { createGitHubClient, verifyRepositoryPath, type RepositoryPathCheck } from "@hubfed/github";
import type { NormalisedRepository } from "./validation";

/**
 * Checking that a link's repository, branch and path exist (SPEC §8). Only
 * GitHub has an API we speak; other allowed hosts are not checked, and the
 * link says so rather than pretending.
 */

export interface LinkVerifierConfig {
  /** https://api.github.com in production; the fake GitHub in tests and the demo. */
  githubApiUrl: string;
  /**
   * Optional: raises GitHub's rate limit. It never confirms a private repository: what the
   * federation's token can read, the course's staff may not, and a link's answer must not
   * tell them (students' hubs pull content anonymously anyway).
   */
  githubToken?: string;
}

export type LinkCheck =
  | { outcome: "ok"; kind: "file" | "dir" }
  /** The field to fix and what is wrong with it. */
  | { outcome: "missing"; field: "repositoryUrl" | "branch" | "path"; message: string }
  /** Could not ask (GitHub down, rate-limited, no access): try again later. */
  | { outcome: "unknown"; message: string }
  | { outcome: "not-checkable"; message: string };

export type LinkVerifier = (target: {
  repository: Pick<NormalisedRepository, "host" | "segments">;
  branch: string;
  path: string;
}) => Promise<LinkCheck>;

const githubHost = "github.com";

export function createLinkVerifier(config: LinkVerifierConfig): LinkVerifier {
  const client = createGitHubClient({
    baseUrl: config.githubApiUrl,
    token: config.githubToken,
    timeoutMs: 10_000,
  });
  return async ({ repository, branch, path }) => {
    if (repository.host !== githubHost)
      return {
        outcome: "not-checkable",
        message: `Not checked: Hubfed can verify GitHub repositories only, and this one is on ${repository.host}.`,
      };
    const [owner, name] = repository.segments;
    if (!owner || !name || repository.segments.length !== 2)
      return {
        outcome: "missing",
        field: "repositoryUrl",
        message: "GitHub repository URLs look like https://github.com/owner/repository.",
      };
    const repo = name.replace(/\.git$/, "");
    const check = await verifyRepositoryPath(
      client,
      { owner, repo, branch, path },
      { publicOnly: true },
    );
    return toLinkCheck(check, `${owner}/${repo}`);
  };
}

function toLinkCheck(check: RepositoryPathCheck, repository: string): LinkCheck {
  if (check.ok) return { outcome: "ok", kind: check.kind };
  switch (check.problem) {
    case "repository-not-found":
      // The same words for a private repository as for a missing one, none of them GitHub's.
      return {
        outcome: "missing",
        field: "repositoryUrl",
        message: `Repository ${repository} was not found, or is not public. Check the URL, and that the repository is public.`,
      };
    case "branch-not-found":
      return { outcome: "missing", field: "branch", message: `${check.message}.` };
    case "path-not-found":
      return { outcome: "missing", field: "path", message: `${check.message}.` };
    case "unauthorized":
    case "unreachable":
      return { outcome: "unknown", message: `Could not check with GitHub: ${check.message}` };
  }
}
