// The image cannot be built on the development machines (no container engine), so the
// Dockerfile is held to the tree here: every file it copies exists and is not ignored, every
// workspace's manifest reaches the dependency install, secrets and installed dependencies stay
// out of the build context, and the image runs what the chart runs, as the user the chart says.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dockerfile = readFileSync(path.join(repositoryRoot, "Dockerfile"), "utf8");
const ignorePatterns = readFileSync(path.join(repositoryRoot, ".dockerignore"), "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));

/** Dockerfile instructions with their continuation lines joined, comments dropped. */
function instructions(): string[] {
  return dockerfile
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

interface CopyInstruction {
  from?: string;
  sources: string[];
  destination: string;
}

function copyInstructions(): CopyInstruction[] {
  return instructions()
    .filter((line) => /^COPY\s/i.test(line))
    .map((line) => {
      const words = line.split(/\s+/).slice(1);
      const flags = words.filter((word) => word.startsWith("--"));
      const paths = words.filter((word) => !word.startsWith("--"));
      const from = flags.find((flag) => flag.startsWith("--from="))?.slice("--from=".length);
      return { from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? "" };
    });
}

/** A .dockerignore pattern as Docker matches it (Go's filepath.Match plus `**`), anchored at the root. */
function patternToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/^\/+/, "")
    .split("/")
    .map((segment) =>
      segment === "**"
        ? "(?:.*)"
        : segment
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, "[^/]*")
            .replace(/\?/g, "[^/]"),
    )
    .join("/")
    .replace(/\(\?:\.\*\)\//g, "(?:.*/)?");
  // A pattern matching a directory excludes everything under it.
  return new RegExp(`^${body}(?:/.*)?$`);
}

function isIgnored(file: string): boolean {
  let ignored = false;
  for (const pattern of ignorePatterns) {
    const isException = pattern.startsWith("!");
    if (patternToRegExp(isException ? pattern.slice(1) : pattern).test(file))
      ignored = !isException;
  }
  return ignored;
}

function workspaces(): string[] {
  return ["apps", "packages"].flatMap((group) =>
    readdirSync(path.join(repositoryRoot, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .filter((entry) => existsSync(path.join(repositoryRoot, group, entry.name, "package.json")))
      .map((entry) => `${group}/${entry.name}`),
  );
}

describe("the Dockerfile", () => {
  it("copies from the build context only files that exist and are not ignored", () => {
    const fromContext = copyInstructions().filter((copy) => copy.from === undefined);
    expect(fromContext.length).toBeGreaterThan(10);
    for (const { sources } of fromContext)
      for (const source of sources) {
        if (source === ".") continue;
        expect(existsSync(path.join(repositoryRoot, source)), source).toBe(true);
        expect(isIgnored(source), `${source} is excluded by .dockerignore`).toBe(false);
      }
  });

  it("installs dependencies with every workspace's package.json, so none is left out", () => {
    const copied = new Set(copyInstructions().flatMap((copy) => copy.sources));
    for (const workspace of workspaces())
      expect(copied.has(`${workspace}/package.json`), `${workspace}/package.json`).toBe(true);
    expect(copied.has("package-lock.json")).toBe(true);
  });

  it("copies into the runtime stage only what the build stage has", () => {
    const stages = instructions()
      .filter((line) => /^FROM\s/i.test(line))
      .map((line) => /\sAS\s+(\S+)/i.exec(line)?.[1]);
    for (const { from } of copyInstructions())
      if (from !== undefined) expect(stages, `COPY --from=${from}`).toContain(from);
    // What the runtime copies from the build stage exists in the tree (node_modules is built).
    for (const { from, sources } of copyInstructions())
      if (from === "build")
        for (const source of sources.map((item) => item.replace(/^\/app\//, "")))
          if (source !== "node_modules")
            expect(existsSync(path.join(repositoryRoot, source)), source).toBe(true);
  });

  it("runs on the Node.js the repository pins (ADR 0015), within the line package.json asks for", () => {
    const nodeVersion = /^ARG NODE_VERSION=(\S+)/m.exec(dockerfile)?.[1];
    const pin = JSON.parse(
      readFileSync(path.join(repositoryRoot, "scripts/node-runtime.json"), "utf8"),
    ) as { version: string; minimum: string };
    expect(nodeVersion).toBe(pin.version);
    expect(readFileSync(path.join(repositoryRoot, ".node-version"), "utf8").trim()).toBe(
      pin.version,
    );
    const engines = (
      JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
        engines: { node: string };
      }
    ).engines.node;
    // engines says ">=24.11"; the pin's minimum is the same release, written out.
    expect(`${engines.replace(/^>=/, "")}.0`).toBe(pin.minimum);
    expect(pin.version.split(".")[0]).toBe(pin.minimum.split(".")[0]);
  });

  it("runs as the numeric non-root user the chart's pods run as", () => {
    const user = instructions()
      .filter((line) => /^USER\s/i.test(line))
      .at(-1)
      ?.split(/\s+/)[1];
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    const helpers = readFileSync(
      path.join(repositoryRoot, "charts/hubfed/templates/_helpers.tpl"),
      "utf8",
    );
    expect(helpers).toContain(`runAsUser: ${user?.split(":")[0] ?? ""}`);
  });

  it("has the programs the chart runs: the portal's server, the worker, the hubfed command", () => {
    for (const file of ["apps/portal/server.ts", "apps/worker/src/main.ts"])
      expect(existsSync(path.join(repositoryRoot, file)), file).toBe(true);
    const core = JSON.parse(
      readFileSync(path.join(repositoryRoot, "packages/core/package.json"), "utf8"),
    ) as { bin?: Record<string, string> };
    expect(core.bin?.hubfed).toBeDefined();
    expect(
      readFileSync(path.join(repositoryRoot, "packages/core", core.bin?.hubfed ?? ""), "utf8"),
    ).toMatch(/^#!\/usr\/bin\/env tsx\n/);
    // The vendored Zero to JupyterHub schema hub values are checked against at apply time.
    expect(
      readdirSync(path.join(repositoryRoot, "packages/kube/schemas")).some((name) =>
        name.startsWith("z2jh-values-"),
      ),
    ).toBe(true);
  });
});

describe(".dockerignore", () => {
  it.each([
    ["node_modules", "node_modules/next/package.json"],
    ["a workspace's node_modules", "packages/core/node_modules/x/index.js"],
    ["an environment file", ".env"],
    ["a nested environment file", "apps/portal/.env.local"],
    ["a private key", "deploy/tls.key"],
    ["a kubeconfig", "ops/kubeconfig"],
    ["the local data", ".data/postgres/PG_VERSION"],
    ["the portal's build", "apps/portal/.next/BUILD_ID"],
    ["Git's history", ".git/HEAD"],
  ])("keeps %s out of the build context (%s)", (_what, file) => {
    expect(isIgnored(file)).toBe(true);
  });

  it("keeps the sources, migrations and the vendored chart schema in", () => {
    for (const file of [
      "apps/portal/server.ts",
      "packages/core/src/cli.ts",
      "prisma/migrations/migration_lock.toml",
      "packages/kube/schemas/README.md",
    ])
      expect(isIgnored(file), file).toBe(false);
  });

  it("matches no tracked file that the image needs", () => {
    const tracked = execFileSync("git", ["ls-files"], { cwd: repositoryRoot, encoding: "utf8" })
      .split("\n")
      .filter((file) => /^(apps|packages|prisma)\//.test(file));
    expect(tracked.filter(isIgnored)).toEqual([]);
  });
});

describe("the release workflow", () => {
  it("builds this Dockerfile and pushes it on version tags", () => {
    const workflow = parse(
      readFileSync(path.join(repositoryRoot, ".github/workflows/release.yml"), "utf8"),
    ) as {
      on: { push: { tags: string[] } };
      jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
    };
    expect(workflow.on.push.tags).toEqual(["v*"]);
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const build = steps.find((step) => step.uses?.startsWith("docker/build-push-action"));
    expect(build?.with).toMatchObject({ context: ".", file: "Dockerfile", push: true });
  });
});
