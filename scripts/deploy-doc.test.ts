// docs/deploy.md walks an operator through a deployment; every Hubfed command, file and chart
// setting it names must exist, so a renamed command or value breaks this test, not an install.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const guide = readFileSync(path.join(repositoryRoot, "docs/deploy.md"), "utf8");
const commandLine = readFileSync(path.join(repositoryRoot, "packages/core/src/cli.ts"), "utf8");

/** The shell of the guide's code blocks, continuation lines joined. */
const shellLines = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((match) => (match[1] ?? "").replace(/\\\n\s*/g, " ").split("\n"))
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));

describe("docs/deploy.md", () => {
  it("runs only hubfed commands the command line has", () => {
    const used = [...guide.matchAll(/(?:^|npx |-- |`)hubfed ([a-z][a-z-]*)/gm)].map(
      (match) => match[1] ?? "",
    );
    expect(used.length).toBeGreaterThan(4);
    for (const name of new Set(used))
      expect(commandLine, `hubfed ${name}`).toMatch(new RegExp(`["\\s]${name}"?: run\\w+Command`));
  });

  it("names only files and folders the repository has", () => {
    const paths = [
      ...guide.matchAll(
        /(?:^|[\s`(])((?:deploy\/region|charts|regions|docs|packages|\.github)\/[\w./-]*[\w/])/gm,
      ),
    ].map((match) => match[1] ?? "");
    expect(paths).toContain("deploy/region/portal-access.yaml");
    for (const file of new Set(paths))
      if (!/<|regions\/us-west\/hubs/.test(file))
        expect(existsSync(path.join(repositoryRoot, file)), file).toBe(true);
    for (const file of ["Dockerfile", ".github/workflows/release.yml"])
      expect(guide).toContain(file);
  });

  it("applies kustomizations that exist", () => {
    const applied = shellLines
      .map((line) => /kubectl apply -k (\S+)/.exec(line)?.[1])
      .filter((folder): folder is string => folder !== undefined);
    expect(applied.length).toBeGreaterThan(0);
    for (const folder of applied)
      expect(existsSync(path.join(repositoryRoot, folder, "kustomization.yaml")), folder).toBe(
        true,
      );
  });

  it("sets only chart values the chart has", () => {
    const values = parse(
      readFileSync(path.join(repositoryRoot, "charts/hubfed/values.yaml"), "utf8"),
    ) as Record<string, unknown>;
    const settings = shellLines
      .filter((line) => line.startsWith("helm "))
      .flatMap((line) =>
        [...line.matchAll(/--set(?:-file)? '?([\w.[\]-]+)=/g)].map((match) => match[1] ?? ""),
      );
    expect(settings).toContain("publicUrl");
    for (const setting of settings) {
      // regions.files.<slug> and list items name keys the operator chooses.
      const known = setting
        .replace(/^regions\.files\..*/, "regions.files")
        .replace(/\[\d+\].*$/, "");
      let node: unknown = values;
      for (const key of known.split(".")) {
        expect(node, setting).toBeTypeOf("object");
        expect(Object.keys(node as object), setting).toContain(key);
        node = (node as Record<string, unknown>)[key];
      }
    }
  });
});
