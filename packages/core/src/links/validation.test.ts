import { describe, expect, it } from "vitest";
import {
  checkBranchName,
  checkRelativePath,
  isRepositoryAllowed,
  normaliseRepositoryUrl,
  validateContentLink,
} from "./validation";

const allowList = ["github.com/westvalley-data", "gitlab.westvalley.edu"];

function fieldErrors(draft: Record<string, unknown>): Record<string, string[]> {
  const result = validateContentLink(draft, allowList);
  if (result.success) return {};
  const errors: Record<string, string[]> = {};
  for (const issue of result.error.issues)
    (errors[issue.path.join(".")] ??= []).push(issue.message);
  return errors;
}

const valid = {
  title: "Lab 1",
  repositoryUrl: "https://github.com/westvalley-data/labs",
  branch: "main",
  path: "lab01/lab01.ipynb",
  interface: "LAB",
};

describe("validateContentLink", () => {
  it("accepts and normalises a good link", () => {
    const result = validateContentLink(
      {
        ...valid,
        repositoryUrl: "  HTTPS://GitHub.com/westvalley-data/labs/ ",
        path: "lab01/",
        targetPath: "",
      },
      allowList,
    );
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.repository.url).toBe("https://github.com/westvalley-data/labs");
    expect(result.data.path).toBe("lab01");
    expect(result.data.targetPath).toBeUndefined();
  });

  it("names each field with its own message", () => {
    const errors = fieldErrors({
      title: "",
      repositoryUrl: "http://github.com/westvalley-data/labs",
      branch: "a..b",
      path: "../etc",
      interface: "LAB",
      targetPath: ".ipython/profile_default/startup",
    });
    expect(Object.keys(errors).sort()).toEqual(["title"]);
    const rest = fieldErrors({
      ...valid,
      repositoryUrl: "http://github.com/westvalley-data/labs",
      branch: "a..b",
      path: "../etc",
      targetPath: ".ipython",
    });
    expect(rest.repositoryUrl?.[0]).toMatch(/Only HTTPS/);
    expect(rest.branch?.[0]).toMatch(/“\.\.”/);
    expect(rest.path?.[0]).toMatch(/“\.\.”/);
    expect(rest.targetPath?.[0]).toMatch(/hidden/);
  });

  it("refuses hosts and organisations off the allow-list, and says what is allowed", () => {
    expect(
      fieldErrors({ ...valid, repositoryUrl: "https://github.com/other-org/labs" })
        .repositoryUrl?.[0],
    ).toMatch(/not among this course's allowed repositories.*github\.com\/westvalley-data/);
    expect(
      fieldErrors({ ...valid, repositoryUrl: "https://gitlab.westvalley.edu/anyone/labs" }),
    ).toEqual({});
    expect(fieldErrors({ ...valid, interface: "VSCODE" }).interface?.[0]).toMatch(
      /Choose the interface/,
    );
  });
});

describe("normaliseRepositoryUrl", () => {
  it.each([
    ["https://github.com/org", /whole repository address/],
    ["https://user:pw@github.com/org/repo", /credentials/],
    ["https://github.com:443/org/repo", /port/],
    ["https://github.com/org/repo?x=1", /query/],
    ["https://githüb.com/org/repo", /ASCII/],
    ["https://xn--githb-mva.com/org/repo", /not a valid host/],
    ["https://github.com/org/.hidden", /not a valid organisation or repository name/],
    ["https://github.com/org//repo", /empty path segment/],
  ])("refuses %s", (url, message) => {
    const result = normaliseRepositoryUrl(url);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it("keeps .git and the case of the path", () => {
    const result = normaliseRepositoryUrl("https://GITHUB.com/Data-8/Materials.git");
    expect(result.ok && result.repository).toMatchObject({
      url: "https://github.com/Data-8/Materials.git",
      defaultTargetFolder: "Materials.git",
    });
  });
});

describe("isRepositoryAllowed", () => {
  const repository = (url: string) => {
    const result = normaliseRepositoryUrl(url);
    if (!result.ok) throw new Error(result.message);
    return result.repository;
  };
  it("matches hosts exactly and organisations by whole segments, case-insensitively", () => {
    expect(isRepositoryAllowed(repository("https://github.com/WestValley-Data/x"), allowList)).toBe(
      true,
    );
    expect(
      isRepositoryAllowed(repository("https://github.com/westvalley-data-evil/x"), allowList),
    ).toBe(false);
    expect(
      isRepositoryAllowed(repository("https://github.com.evil.com/westvalley-data/x"), allowList),
    ).toBe(false);
    expect(
      isRepositoryAllowed(repository("https://evilgithub.com/westvalley-data/x"), allowList),
    ).toBe(false);
    expect(
      isRepositoryAllowed(repository("https://sub.gitlab.westvalley.edu/a/b"), allowList),
    ).toBe(false);
    expect(isRepositoryAllowed(repository("https://github.com/westvalley-data/x"), [])).toBe(false);
  });
});

describe("checkBranchName (git check-ref-format)", () => {
  it.each(["main", "gh-pages", "release/2026-fall", "v1.2", "feature_x", "ünïcode"])(
    "accepts %s",
    (branch) => expect(checkBranchName(branch)).toBeUndefined(),
  );
  it.each([
    "",
    "a..b",
    "a@{1}",
    "@",
    "a~1",
    "a^",
    "a:b",
    "a?",
    "a*",
    "a[",
    "a\\b",
    "a b",
    "a\tb",
    "/a",
    "a/",
    "a//b",
    "a.",
    ".a",
    "a/.b",
    "a.lock",
    "a/b.lock/c",
    "-a",
    "--upload-pack=touch",
    "%2e%2e",
    "x".repeat(256),
  ])("refuses %j", (branch) => expect(checkBranchName(branch)?.message).toBeTruthy());
});

describe("checkRelativePath", () => {
  const check = (value: string) => checkRelativePath(value, { allowEmpty: true, noun: "path" });
  it.each(["", "lab01", "lab01/lab 01.ipynb", "données/cours.ipynb", "a/b/c/"])(
    "accepts %j",
    (value) => expect(check(value)).toBeUndefined(),
  );
  it.each([
    "/etc/passwd",
    "~/x",
    "C:/x",
    "../x",
    "a/../../x",
    "a/./b",
    ".ipython/profile_default/startup/x.py",
    "a/.git/config",
    "a\\b",
    "%2e%2e/x",
    "%252e%252e/x",
    "a?b",
    "a#b",
    "a\r\nb",
    "a\u0000b",
    "a\u202eb",
    "．．/x",
    "a//b",
    "-rf",
    "a/ b",
  ])("refuses %j", (value) => expect(check(value)?.message).toBeTruthy());
});
