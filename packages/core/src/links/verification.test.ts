import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHubServer } from "@hubfed/github/fake-server";
import { createLinkVerifier } from "./verification";

// Link verification asks GitHub with the federation's token. The token may read repositories
// that the course's staff cannot (another course's answer keys, an institution's private work);
// a link check must never be a way to learn that they exist or what is in them.

const token = "federation-token";
let github: FakeGitHubServer;

beforeAll(async () => {
  github = await startFakeGitHub({ token });
  github.createRepository({
    owner: "other-course",
    name: "solutions",
    isPrivate: true,
    files: { "hw1/answers.ipynb": "{}" },
  });
  github.createRepository({
    owner: "westvalley-data",
    name: "labs",
    files: { "lab01/lab01.ipynb": "{}" },
  });
});
afterAll(() => github.stop());

const target = (owner: string, name: string, path: string, branch = "main") => ({
  repository: { host: "github.com", segments: [owner, name] },
  branch,
  path,
});

describe("private repositories: link verification never confirms a repository the federation token alone can see", () => {
  it("answers about a private repository exactly as about one that does not exist", async () => {
    const verifyLink = createLinkVerifier({ githubApiUrl: github.url, githubToken: token });
    const existingFile = await verifyLink(target("other-course", "solutions", "hw1/answers.ipynb"));
    const missingPath = await verifyLink(target("other-course", "solutions", "hw9/none.ipynb"));
    const missingBranch = await verifyLink(target("other-course", "solutions", "", "no-branch"));
    const noSuchRepository = await verifyLink(target("other-course", "nothing", ""));
    expect(existingFile).toMatchObject({ outcome: "missing", field: "repositoryUrl" });
    for (const answer of [missingPath, missingBranch]) expect(answer).toEqual(existingFile);
    const withoutName = (answer: unknown) =>
      JSON.stringify(answer).replaceAll("solutions", "").replaceAll("nothing", "");
    expect(withoutName(noSuchRepository)).toBe(withoutName(existingFile));
  });

  it("still checks public repositories with the token", async () => {
    const verifyLink = createLinkVerifier({ githubApiUrl: github.url, githubToken: token });
    expect(await verifyLink(target("westvalley-data", "labs", "lab01/lab01.ipynb"))).toEqual({
      outcome: "ok",
      kind: "file",
    });
    expect(await verifyLink(target("westvalley-data", "labs", "lab02"))).toMatchObject({
      outcome: "missing",
      field: "path",
    });
  });
});
