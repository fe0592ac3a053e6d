// A clone, a container image and a CI runner have nothing beside the
// repository. This test fails when any tracked file refers to a folder
// outside the tree (the development machines' reference folder above all:
// what the project needs from it is copied in, with its origin and licence).
import { execFileSync } from "node:child_process";
import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function trackedFiles(): string[] {
  const listing = execFileSync("git", ["ls-files", "-z"], {
    cwd: repositoryRoot,
    encoding: "utf8",
  });
  return listing.split("\0").filter((file) => file !== "");
}

// Built from parts so this file does not match itself.
const parent = "..";
const folder = ["sha", "red"].join("");
const outsideReferences = [
  // the parent's reference folder, however many levels up, either slash
  new RegExp(`\\${parent[0]}\\${parent[1]}[\\\\/]+(?:\\.\\.[\\\\/]+)*shared\\b`),
  // path.join(root, <parent>, "shared") and the like
  new RegExp(`["'\`]\\.\\.["'\`]\\s*,\\s*["'\`]shared["'\`]`),
];

describe("the repository stands on its own", () => {
  const files = trackedFiles();

  it("lists the tracked files (a checkout with git)", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain("package.json");
  });

  it("no tracked file refers to a folder beside the repository", () => {
    const offending: string[] = [];
    for (const file of files) {
      if (file === "package-lock.json") continue;
      const absolute = path.join(repositoryRoot, file);
      const stat = lstatSync(absolute, { throwIfNoEntry: false });
      if (!stat || stat.isDirectory()) continue;
      if (stat.isSymbolicLink()) {
        const target = path.resolve(path.dirname(absolute), readlinkSync(absolute));
        if (path.relative(repositoryRoot, target).startsWith(parent))
          offending.push(`${file}: a link to ${target}, outside the repository`);
        continue;
      }
      const text = readFileSync(absolute, "utf8");
      text.split("\n").forEach((line, index) => {
        if (outsideReferences.some((pattern) => pattern.test(line)))
          offending.push(`${file}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });

  it("recognises the references it looks for", () => {
    const examples = [
      `new URL("${parent}/${parent}/${folder}/anchors/x.yaml", import.meta.url)`,
      `readFileSync("${parent}/${folder}/SPEC.md")`,
      `path.join(root, "${parent}", "${folder}")`,
    ];
    for (const example of examples)
      expect(outsideReferences.some((pattern) => pattern.test(example))).toBe(true);
    expect(
      outsideReferences.some((pattern) => pattern.test(`import { x } from "./${folder}"`)),
    ).toBe(false);
  });
});
