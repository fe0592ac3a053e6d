import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient, parseRepositoryName, type GitHubClient } from "./client";
import { GitHubOperationError } from "./errors";
import { startFakeGitHub, type FakeGitHubServer } from "./fake-server";
import { gitBlobSha } from "./git-objects";
import { proposeDirectoryAsPullRequest, type DirectoryProposal } from "./propose";
import { verifyRepositoryPath } from "./verify";

// Octokit over real HTTP against the fake GitHub: the operations Hubfed
// uses, their idempotence, and GitHub's refusals.

const token = "ghp_test-token-0123456789";
let github: FakeGitHubServer;
let client: GitHubClient;

beforeEach(async () => {
  github = await startFakeGitHub({ token });
  client = createGitHubClient({ baseUrl: github.url, token });
  github.createRepository({
    owner: "federation",
    name: "gitops",
    files: {
      "README.md": "# fleet\n",
      "regions/us-west/region.yaml": "slug: us-west\n",
      "regions/us-west/hubs/old-course.yaml": "course: old-course\n",
      "regions/local/hubs/other.yaml": "course: other\n",
    },
  });
});

afterEach(async () => {
  await github.stop();
});

function proposal(files: Record<string, string>, title = "Hubs of us-west"): DirectoryProposal {
  return {
    owner: "federation",
    repo: "gitops",
    baseBranch: "main",
    headBranch: "hubfed/gitops/us-west",
    directory: "regions/us-west/hubs/",
    files,
    title,
    body: "Rendered by Hubfed.",
  };
}

describe("git objects", () => {
  it("computes git's blob id", () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(gitBlobSha(Buffer.from("hello\n"))).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
  });

  it("parses owner/name", () => {
    expect(parseRepositoryName("federation/gitops")).toEqual({
      owner: "federation",
      repo: "gitops",
    });
    expect(parseRepositoryName("federation")).toBeUndefined();
    expect(parseRepositoryName("a/b/c")).toBeUndefined();
  });
});

describe("proposing a directory as a pull request", () => {
  it("opens a pull request whose branch holds exactly the files, removing unwanted ones", async () => {
    const result = await proposeDirectoryAsPullRequest(
      client,
      proposal({
        "regions/us-west/hubs/data-101.yaml": "course: data-101\n",
        "regions/us-west/hubs/cs-120.yaml": "course: cs-120\n",
      }),
    );
    expect(result.isNewCommit).toBe(true);
    expect(result.pullRequest).toMatchObject({ number: 1, isNew: true });
    expect(result.changedPaths).toEqual([
      "regions/us-west/hubs/cs-120.yaml",
      "regions/us-west/hubs/data-101.yaml",
      "regions/us-west/hubs/old-course.yaml",
    ]);
    expect(github.readFiles("federation", "gitops", "hubfed/gitops/us-west")).toEqual({
      "README.md": "# fleet\n",
      "regions/us-west/region.yaml": "slug: us-west\n",
      "regions/us-west/hubs/data-101.yaml": "course: data-101\n",
      "regions/us-west/hubs/cs-120.yaml": "course: cs-120\n",
      // Outside the directory: untouched.
      "regions/local/hubs/other.yaml": "course: other\n",
    });
    // The base is untouched until someone merges.
    expect(github.readFiles("federation", "gitops", "main")).toHaveProperty(
      "regions/us-west/hubs/old-course.yaml",
    );
    const [pull] = github.listPullRequests("federation", "gitops");
    expect(pull).toMatchObject({
      head: "hubfed/gitops/us-west",
      base: "main",
      title: "Hubs of us-west",
      state: "open",
    });
    expect(result.pullRequest?.url).toMatch(/\/federation\/gitops\/pull\/1$/);
  });

  it("writes nothing when the same files are proposed again", async () => {
    const files = { "regions/us-west/hubs/data-101.yaml": "course: data-101\n" };
    await proposeDirectoryAsPullRequest(client, proposal(files));
    const headBefore = github.branchSha("federation", "gitops", "hubfed/gitops/us-west");
    github.resetCounters();
    const again = await proposeDirectoryAsPullRequest(client, proposal(files));
    expect(again.isNewCommit).toBe(false);
    expect(again.pullRequest).toMatchObject({ number: 1, isNew: false });
    expect(github.counters.writes).toBe(0);
    expect(github.counters.requests).toBeGreaterThan(0);
    expect(github.branchSha("federation", "gitops", "hubfed/gitops/us-west")).toBe(headBefore);
    expect(github.listPullRequests("federation", "gitops")).toHaveLength(1);
  });

  it("adds one commit to the open pull request when a file changes, uploading only that file", async () => {
    await proposeDirectoryAsPullRequest(
      client,
      proposal({
        "regions/us-west/hubs/data-101.yaml": "course: data-101\n",
        "regions/us-west/hubs/cs-120.yaml": "course: cs-120\n",
      }),
    );
    const commitsBefore = github.listCommits("federation", "gitops", "hubfed/gitops/us-west");
    github.resetCounters();
    const result = await proposeDirectoryAsPullRequest(
      client,
      proposal(
        {
          "regions/us-west/hubs/data-101.yaml": "course: data-101\nmemory: 2G\n",
          "regions/us-west/hubs/cs-120.yaml": "course: cs-120\n",
        },
        "Hubs of us-west (2 hubs)",
      ),
    );
    expect(result.isNewCommit).toBe(true);
    expect(result.changedPaths).toEqual(["regions/us-west/hubs/data-101.yaml"]);
    expect(result.pullRequest).toMatchObject({ number: 1, isNew: false });
    expect(github.counters.byRoute["POST /repos/{owner}/{repo}/git/blobs"]).toBe(1);
    expect(github.counters.byRoute["POST /repos/{owner}/{repo}/git/commits"]).toBe(1);
    expect(github.counters.byRoute["POST /repos/{owner}/{repo}/pulls"]).toBeUndefined();
    const commitsAfter = github.listCommits("federation", "gitops", "hubfed/gitops/us-west");
    expect(commitsAfter).toHaveLength(commitsBefore.length + 1);
    expect(commitsAfter[1]?.sha).toBe(commitsBefore[0]?.sha);
    const [pull] = github.listPullRequests("federation", "gitops");
    expect(pull?.title).toBe("Hubs of us-west (2 hubs)");
    expect(github.readFiles("federation", "gitops", "hubfed/gitops/us-west")).toMatchObject({
      "regions/us-west/hubs/data-101.yaml": "course: data-101\nmemory: 2G\n",
    });
  });

  it("starts a new pull request from the base after the previous one was merged", async () => {
    const files = { "regions/us-west/hubs/data-101.yaml": "course: data-101\n" };
    await proposeDirectoryAsPullRequest(client, proposal(files));
    github.mergePullRequest("federation", "gitops", 1);
    // Merged content proposed again: nothing to do, no new pull request.
    github.resetCounters();
    const same = await proposeDirectoryAsPullRequest(client, proposal(files));
    expect(same.pullRequest).toBeNull();
    expect(github.counters.writes).toBe(0);

    const changed = await proposeDirectoryAsPullRequest(
      client,
      proposal({ ...files, "regions/us-west/hubs/cs-120.yaml": "course: cs-120\n" }),
    );
    expect(changed.pullRequest).toMatchObject({ number: 2, isNew: true });
    const history = github.listCommits("federation", "gitops", "hubfed/gitops/us-west");
    expect(history[1]?.sha).toBe(github.branchSha("federation", "gitops", "main"));
  });

  it("does not open a pull request when the files already match the base", async () => {
    const result = await proposeDirectoryAsPullRequest(
      client,
      proposal({ "regions/us-west/hubs/old-course.yaml": "course: old-course\n" }),
    );
    expect(result).toMatchObject({ isNewCommit: false, pullRequest: null });
    expect(github.listPullRequests("federation", "gitops")).toHaveLength(0);
    expect(github.branchSha("federation", "gitops", "hubfed/gitops/us-west")).toBeUndefined();
  });

  it("refuses files outside the directory", async () => {
    await expect(
      proposeDirectoryAsPullRequest(client, proposal({ "README.md": "changed\n" })),
    ).rejects.toThrow(/not a file under regions\/us-west\/hubs\//);
  });

  it("reports a bad token as unauthorized, without the token in the message", async () => {
    const wrong = createGitHubClient({ baseUrl: github.url, token: "ghp_wrong-token" });
    const failure = await proposeDirectoryAsPullRequest(wrong, proposal({})).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(GitHubOperationError);
    expect(failure).toMatchObject({ problem: "unauthorized", status: 401 });
    expect((failure as Error).message).toMatch(/401 Bad credentials/);
    expect((failure as Error).message).not.toContain("ghp_wrong-token");
  });

  it("reports a missing base branch and a missing repository", async () => {
    await expect(
      proposeDirectoryAsPullRequest(client, { ...proposal({}), baseBranch: "trunk" }),
    ).rejects.toMatchObject({ problem: "branch-not-found" });
    await expect(
      proposeDirectoryAsPullRequest(client, { ...proposal({}), repo: "missing" }),
    ).rejects.toMatchObject({ problem: "branch-not-found" });
  });
});

describe("verifying a repository path", () => {
  const target = { owner: "federation", repo: "gitops", branch: "main", path: "regions/us-west" };

  it("finds a directory and a file", async () => {
    expect(await verifyRepositoryPath(client, target)).toEqual({
      ok: true,
      defaultBranch: "main",
      kind: "dir",
    });
    expect(
      await verifyRepositoryPath(client, { ...target, path: "/regions/us-west/region.yaml" }),
    ).toMatchObject({ ok: true, kind: "file" });
  });

  it("says which part is missing", async () => {
    expect(await verifyRepositoryPath(client, { ...target, repo: "nope" })).toMatchObject({
      ok: false,
      problem: "repository-not-found",
    });
    expect(await verifyRepositoryPath(client, { ...target, branch: "nope" })).toMatchObject({
      ok: false,
      problem: "branch-not-found",
    });
    expect(
      await verifyRepositoryPath(client, { ...target, path: "regions/eu-north" }),
    ).toMatchObject({ ok: false, problem: "path-not-found" });
  });

  it("hides private repositories from anonymous callers and refuses bad tokens", async () => {
    github.createRepository({ owner: "federation", name: "private", isPrivate: true });
    const anonymous = createGitHubClient({ baseUrl: github.url });
    expect(
      await verifyRepositoryPath(anonymous, { ...target, repo: "private", path: "" }),
    ).toMatchObject({ ok: false, problem: "repository-not-found" });
    expect(
      await verifyRepositoryPath(client, { ...target, repo: "private", path: "" }),
    ).toMatchObject({ ok: true });
    const wrong = createGitHubClient({ baseUrl: github.url, token: "nope" });
    expect(await verifyRepositoryPath(wrong, target)).toMatchObject({
      ok: false,
      problem: "unauthorized",
    });
  });

  it("reports a GitHub that does not answer as unreachable", async () => {
    await github.stop();
    const result = await verifyRepositoryPath(client, target);
    expect(result).toMatchObject({ ok: false, problem: "unreachable" });
    github = await startFakeGitHub({ token });
  });
});
