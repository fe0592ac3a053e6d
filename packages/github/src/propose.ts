import { type GitHubClient } from "./client";
import { GitHubOperationError, isNotFound, toGitHubOperationError } from "./errors";
import { FILE_MODE, gitBlobSha } from "./git-objects";

export interface DirectoryProposal {
  owner: string;
  repo: string;
  /** The branch the pull request targets, e.g. "main". */
  baseBranch: string;
  /** The branch Hubfed owns and rewrites, e.g. "hubfed/gitops/us-west". */
  headBranch: string;
  /** The directory the files are the full content of, e.g. "regions/us-west/hubs/". */
  directory: string;
  /** Full repository paths under `directory` → their bytes (strings are taken as UTF-8). */
  files: Readonly<Record<string, Uint8Array | string>>;
  title: string;
  body: string;
  /** Defaults to the title. */
  commitMessage?: string;
}

export interface ProposalResult {
  headBranch: string;
  /** The commit the head branch points at after the proposal (unchanged or new). */
  headSha: string;
  /** True when this call made a commit (the files differed from the branch). */
  isNewCommit: boolean;
  /** Files written or removed by the new commit (empty without one). */
  changedPaths: string[];
  /** The open pull request for the head branch; null when the files already match the base. */
  pullRequest: { number: number; url: string; isNew: boolean } | null;
}

/** "regions/us-west/hubs" and "/regions/us-west/hubs/" → "regions/us-west/hubs/"; "" stays "". */
function normaliseDirectory(directory: string): string {
  const trimmed = directory.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "" : `${trimmed}/`;
}

function toBytes(content: Uint8Array | string): Uint8Array {
  return typeof content === "string" ? Buffer.from(content, "utf8") : content;
}

/**
 * Proposes that a directory of a repository hold exactly the given files, as
 * a pull request from a branch Hubfed owns:
 *
 *  - the head branch continues from itself while its pull request is open,
 *    and starts again from the base otherwise (after a merge or a close);
 *  - the change is one commit through the git data API: blobs only for files
 *    whose content differs (a blob's id is computed locally and compared with
 *    the tree), one tree on top of the parent's that also removes files under
 *    the directory that are no longer wanted, one commit, one ref update;
 *  - the pull request for the head branch is opened, or its title and body
 *    updated when they changed.
 *
 * Idempotent: the same files again read a few objects and write nothing.
 */
export async function proposeDirectoryAsPullRequest(
  client: GitHubClient,
  proposal: DirectoryProposal,
): Promise<ProposalResult> {
  const { owner, repo, baseBranch, headBranch } = proposal;
  const directory = normaliseDirectory(proposal.directory);
  const wanted = new Map<string, { sha: string; content: Uint8Array }>();
  for (const [path, content] of Object.entries(proposal.files)) {
    if (!path.startsWith(directory) || path.endsWith("/") || path.split("/").includes(".."))
      throw new GitHubOperationError("rejected", `${path} is not a file under ${directory || "/"}`);
    const bytes = toBytes(content);
    wanted.set(path, { sha: gitBlobSha(bytes), content: bytes });
  }
  if (headBranch === baseBranch)
    throw new GitHubOperationError("rejected", "the head branch must differ from the base branch");

  const step = async <T>(
    name: string,
    call: () => Promise<T>,
    missing?: "branch-not-found",
  ): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw toGitHubOperationError(error, name, missing);
    }
  };

  const baseSha = (
    await step(
      `Reading branch ${baseBranch} of ${owner}/${repo}`,
      () => client.rest.git.getRef({ owner, repo, ref: `heads/${baseBranch}` }),
      "branch-not-found",
    )
  ).data.object.sha;
  const openPulls = (
    await step(`Listing pull requests of ${owner}/${repo}`, () =>
      client.rest.pulls.list({
        owner,
        repo,
        state: "open",
        head: `${owner}:${headBranch}`,
        base: baseBranch,
      }),
    )
  ).data;
  const openPull = openPulls[0];
  const headSha = await step(`Reading branch ${headBranch}`, async () => {
    try {
      return (await client.rest.git.getRef({ owner, repo, ref: `heads/${headBranch}` })).data.object
        .sha;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  });

  // An open pull request collects further commits; otherwise the proposal starts afresh from the base.
  const parentSha = openPull && headSha ? headSha : baseSha;
  const parentTree = (
    await step(`Reading commit ${parentSha}`, () =>
      client.rest.git.getCommit({ owner, repo, commit_sha: parentSha }),
    )
  ).data.tree.sha;
  const existing = await step(`Listing ${directory || "/"} on ${parentSha}`, () =>
    listFilesUnder(client, { owner, repo }, parentTree, directory),
  );

  const changed = [...wanted].filter(([path, file]) => existing.get(path) !== file.sha);
  const removed = [...existing.keys()].filter((path) => !wanted.has(path));
  let commitSha = parentSha;
  let commitTree = parentTree;
  if (changed.length > 0 || removed.length > 0) {
    const blobs: Array<{ path: string; sha: string }> = [];
    for (const [path, file] of changed) {
      const blob = await step(`Uploading ${path}`, () =>
        client.rest.git.createBlob({
          owner,
          repo,
          content: Buffer.from(file.content).toString("base64"),
          encoding: "base64",
        }),
      );
      if (blob.data.sha !== file.sha)
        throw new GitHubOperationError(
          "rejected",
          `Uploading ${path}: GitHub stored a different blob`,
        );
      blobs.push({ path, sha: blob.data.sha });
    }
    const entries: Array<{ path: string; mode: "100644"; type: "blob"; sha: string | null }> = [
      ...blobs.map(({ path, sha }) => ({ path, mode: FILE_MODE, type: "blob" as const, sha })),
      // A null sha removes the path from the base tree.
      ...removed.map((path) => ({ path, mode: FILE_MODE, type: "blob" as const, sha: null })),
    ];
    const tree = await step("Writing the tree", () =>
      client.rest.git.createTree({ owner, repo, base_tree: parentTree, tree: entries }),
    );
    commitTree = tree.data.sha;
    const commit = await step("Writing the commit", () =>
      client.rest.git.createCommit({
        owner,
        repo,
        message: proposal.commitMessage ?? proposal.title,
        tree: commitTree,
        parents: [parentSha],
      }),
    );
    commitSha = commit.data.sha;
  }

  const isSameAsBase =
    commitSha === baseSha ||
    commitTree ===
      (parentSha === baseSha
        ? parentTree
        : (
            await step(`Reading commit ${baseSha}`, () =>
              client.rest.git.getCommit({ owner, repo, commit_sha: baseSha }),
            )
          ).data.tree.sha);
  const result: ProposalResult = {
    headBranch,
    headSha: headSha ?? commitSha,
    isNewCommit: commitSha !== parentSha,
    changedPaths:
      commitSha !== parentSha ? [...changed.map(([path]) => path), ...removed].sort() : [],
    pullRequest: null,
  };
  // Nothing to propose and nothing proposed: leave the branch alone.
  if (!openPull && isSameAsBase) return result;

  if (headSha === undefined) {
    await step(`Creating branch ${headBranch}`, () =>
      client.rest.git.createRef({ owner, repo, ref: `refs/heads/${headBranch}`, sha: commitSha }),
    );
  } else if (headSha !== commitSha) {
    // Forced: after a merge or close the branch restarts from the base, which is not a fast forward.
    await step(`Moving branch ${headBranch}`, () =>
      client.rest.git.updateRef({
        owner,
        repo,
        ref: `heads/${headBranch}`,
        sha: commitSha,
        force: true,
      }),
    );
  }
  result.headSha = commitSha;

  if (openPull) {
    if (openPull.title !== proposal.title || (openPull.body ?? "") !== proposal.body) {
      await step(`Updating pull request #${openPull.number}`, () =>
        client.rest.pulls.update({
          owner,
          repo,
          pull_number: openPull.number,
          title: proposal.title,
          body: proposal.body,
        }),
      );
    }
    result.pullRequest = { number: openPull.number, url: openPull.html_url, isNew: false };
    return result;
  }
  const created = await step("Opening the pull request", () =>
    client.rest.pulls.create({
      owner,
      repo,
      head: headBranch,
      base: baseBranch,
      title: proposal.title,
      body: proposal.body,
    }),
  );
  result.pullRequest = { number: created.data.number, url: created.data.html_url, isNew: true };
  return result;
}

/**
 * Files under a directory of a tree, path → blob id. Walks down to the
 * directory and lists only its subtree, so a large repository costs a few
 * reads and never a truncated listing of everything.
 */
async function listFilesUnder(
  client: GitHubClient,
  { owner, repo }: { owner: string; repo: string },
  rootTree: string,
  directory: string,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let treeSha = rootTree;
  for (const segment of directory.split("/").filter((part) => part !== "")) {
    const tree = await client.rest.git.getTree({ owner, repo, tree_sha: treeSha });
    const next = tree.data.tree.find((entry) => entry.path === segment && entry.type === "tree");
    if (!next?.sha) return files;
    treeSha = next.sha;
  }
  const listing = await client.rest.git.getTree({
    owner,
    repo,
    tree_sha: treeSha,
    recursive: "true",
  });
  if (listing.data.truncated)
    throw new GitHubOperationError(
      "rejected",
      `${directory} holds more files than GitHub lists in one tree; split it`,
    );
  for (const entry of listing.data.tree) {
    if (entry.type === "blob" && entry.path && entry.sha)
      files.set(`${directory}${entry.path}`, entry.sha);
  }
  return files;
}
