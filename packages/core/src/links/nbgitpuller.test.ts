import { describe, expect, it } from "vitest";
import { buildNbgitpullerUrl, buildUrlPath, hubBaseUrl, nbgitpullerTargetOf } from "./nbgitpuller";

describe("buildUrlPath (REFERENCE §1)", () => {
  it.each([
    ["LAB", "labs", "lab01/lab 1.ipynb", "lab/tree/labs/lab01/lab%201.ipynb"],
    ["LAB", "labs", "", "lab/tree/labs"],
    ["CLASSIC", "labs", "lab01/lab01.ipynb", "tree/labs/lab01/lab01.ipynb"],
    ["RSTUDIO", "labs", "anything.R", "rstudio/"],
    ["SHINY", "apps", "demo", "shiny/apps/demo/"],
    ["SHINY", "apps", "", "shiny/apps/"],
  ] as const)("%s %s %s → %s", (linkInterface, targetFolder, path, expected) =>
    expect(buildUrlPath({ interface: linkInterface, targetFolder, path })).toBe(expected),
  );
});

describe("buildNbgitpullerUrl", () => {
  it("builds the user-redirect git-pull URL with every parameter encoded", () => {
    const url = buildNbgitpullerUrl(
      "https://data101.hubs.example",
      nbgitpullerTargetOf({
        repositoryUrl: "https://github.com/westvalley-data/labs",
        branch: "main",
        path: "lab01/lab 1.ipynb",
        interface: "LAB",
        targetPath: null,
      }),
    );
    expect(url).toBe(
      "https://data101.hubs.example/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fwestvalley-data%2Flabs&branch=main&urlpath=lab%2Ftree%2Flabs%2Flab01%2Flab%25201.ipynb&targetPath=labs",
    );
    const parsed = new URL(url);
    expect(parsed.searchParams.get("urlpath")).toBe("lab/tree/labs/lab01/lab%201.ipynb");
    expect(parsed.searchParams.get("targetPath")).toBe("labs");
  });

  it("uses the target folder in the urlpath and omits an empty branch", () => {
    const url = new URL(
      buildNbgitpullerUrl("http://127.0.0.1:8001", {
        repositoryUrl: "https://github.com/o/r",
        branch: "",
        urlPath: "tree/week1/x.ipynb",
        targetPath: "week1",
      }),
    );
    expect(url.searchParams.has("branch")).toBe(false);
    expect(url.origin).toBe("http://127.0.0.1:8001");
  });
});

describe("hubBaseUrl", () => {
  it("keeps origin and prefix, drops trailing slashes, refuses other schemes and credentials", () => {
    expect(hubBaseUrl("https://hub.example/prefix/")).toBe("https://hub.example/prefix");
    expect(hubBaseUrl("http://127.0.0.1:8000")).toBe("http://127.0.0.1:8000");
    expect(hubBaseUrl("javascript:alert(1)")).toBeUndefined();
    expect(hubBaseUrl("https://a:b@hub.example")).toBeUndefined();
    expect(hubBaseUrl("not a url")).toBeUndefined();
    // Asked again (every click asks): the same answers, refusals included.
    expect(hubBaseUrl("https://hub.example/prefix/")).toBe("https://hub.example/prefix");
    expect(hubBaseUrl("javascript:alert(1)")).toBeUndefined();
  });
});
