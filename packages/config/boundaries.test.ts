import { readdirSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
// @ts-expect-error — a plain ES module without types: the same object every workspace's lint uses.
import { boundaryConfigs, coreDomainLayers } from "./boundaries.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");

/** Lints `code` as if it were `file` in `workspace`, with the boundary rules only. */
async function lint(workspace: string, file: string, code: string) {
  const cwd = path.join(repositoryRoot, workspace);
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ["**/*.ts", "**/*.tsx"],
        languageOptions: { parser: tseslint.parser },
        plugins: { "@typescript-eslint": tseslint.plugin },
      },
      ...(boundaryConfigs(workspace) as ESLint.Options["overrideConfig"][]),
    ] as ESLint.Options["overrideConfig"],
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(cwd, file) });
  return (result?.messages ?? []).map((message) => ({
    rule: message.ruleId,
    message: message.message,
  }));
}

describe("the layers, as lint rules", () => {
  it("refuses the portal importing Kubernetes", async () => {
    const problems = await lint(
      "apps/portal",
      "src/app/page.tsx",
      `import { createKubernetesCluster } from "@hubfed/kube";\nexport const x = createKubernetesCluster;\n`,
    );
    expect(problems).toEqual([
      {
        rule: "@typescript-eslint/no-restricted-imports",
        message: expect.stringContaining("Layers: apps/portal may not import @hubfed/kube"),
      },
    ]);
  });

  it("lets tests, and only tests, start the real services of @hubfed/stack", async () => {
    const code = `import { startRedis } from "@hubfed/stack";\nexport const x = startRedis;\n`;
    expect(await lint("packages/jobs", "src/redis-tls.int.test.ts", code)).toEqual([]);
    expect(await lint("packages/jobs", "src/bullmq-job-queues.ts", code)).toEqual([
      {
        rule: "@typescript-eslint/no-restricted-imports",
        message: expect.stringContaining("Layers: packages/jobs may not import @hubfed/stack"),
      },
    ]);
  });

  it("refuses console.* outside command-line programs and tests: logs go through the one logger", async () => {
    const code = `console.log("ready");\n`;
    expect(await lint("apps/worker", "src/main.ts", code)).toEqual([
      { rule: "no-console", message: "Unexpected console statement." },
    ]);
    expect(await lint("packages/core", "src/metering/metering.ts", code)).toEqual([
      { rule: "no-console", message: "Unexpected console statement." },
    ]);
    expect(await lint("packages/core", "src/cli/regions.ts", code)).toEqual([]);
    expect(await lint("packages/db", "src/cli.ts", code)).toEqual([]);
    expect(await lint("apps/worker", "src/main.int.test.ts", code)).toEqual([]);
  });

  it("lets fault tests put a stalling proxy in front of a service, and nothing more", async () => {
    const code = `import { startStallingProxy } from "@hubfed/stack";\nexport const x = startStallingProxy;\n`;
    expect(await lint("packages/api", "src/health.int.test.ts", code)).toEqual([]);
    expect(await lint("packages/api", "src/health.ts", code)).toEqual([
      {
        rule: "@typescript-eslint/no-restricted-imports",
        message: expect.stringContaining("Layers: packages/api may not import @hubfed/stack"),
      },
    ]);
    expect(
      await lint("packages/api", "src/health.int.test.ts", `import "@hubfed/kube";\n`),
    ).toEqual([
      {
        rule: "@typescript-eslint/no-restricted-imports",
        message: expect.stringContaining("Layers: packages/api may not import @hubfed/kube"),
      },
    ]);
  });

  it("refuses the portal importing core's server-only adapters, and allows core's main entry", async () => {
    expect(
      await lint("apps/portal", "src/app/page.tsx", `import "@hubfed/core/runtimes";\n`),
    ).toEqual([
      {
        rule: "@typescript-eslint/no-restricted-imports",
        message: expect.stringContaining("server-only adapters"),
      },
    ]);
    expect(await lint("apps/portal", "src/app/page.tsx", `import "@hubfed/core";\n`)).toEqual([]);
  });

  it("refuses a page reaching for the database instead of the API (ADR 0009)", async () => {
    expect(
      await lint(
        "apps/portal",
        "src/app/courses/[slug]/page.tsx",
        `import { services } from "~/server/services";\nservices;\n`,
      ),
    ).toEqual([
      {
        rule: "@typescript-eslint/no-restricted-imports",
        message: expect.stringContaining("read domain data through serverApi()"),
      },
    ]);
    expect(
      await lint(
        "apps/portal",
        "src/app/courses/[slug]/page.tsx",
        `import type { HubStatus } from "@hubfed/db";\nexport type S = HubStatus;\n`,
      ),
    ).toEqual([]);
  });

  it("refuses core importing next-auth, and core's main entry importing an adapter", async () => {
    expect(
      await lint("packages/core", "src/people/sign-in.ts", `import "next-auth/jwt";\n`),
    ).toEqual([
      {
        rule: "@typescript-eslint/no-restricted-imports",
        message: expect.stringContaining("core may not import next-auth"),
      },
    ]);
    expect(await lint("packages/core", "src/index.ts", `import "./gitops/export";\n`)).toEqual([
      {
        rule: "@typescript-eslint/no-restricted-imports",
        message: expect.stringContaining("core's main entry stays free of server-only adapters"),
      },
    ]);
  });

  it("refuses identity importing core (core sits above it)", async () => {
    expect(await lint("packages/identity", "src/provider.ts", `import "@hubfed/core";\n`)).toEqual([
      {
        rule: "@typescript-eslint/no-restricted-imports",
        message: expect.stringContaining("packages/identity may not import @hubfed/core"),
      },
    ]);
  });

  it("refuses a cycle between two of core's domains: the lower one cannot import the higher", async () => {
    // hubs → credits is the allowed direction (a hub is created with its hold) …
    expect(
      await lint("packages/core", "src/hubs/create-hub.ts", `import "../credits/ledger";\n`),
    ).toEqual([]);
    // … so credits → hubs, which would close a circle, is refused, at any depth.
    for (const [file, specifier] of [
      ["src/credits/pools.ts", "../hubs/status"],
      ["src/credits/pools.ts", "../hubs"],
      ["src/provisioning/runtimes/local.ts", "../../requests/form"],
    ] as const) {
      expect(await lint("packages/core", file, `import "${specifier}";\n`)).toEqual([
        {
          rule: "@typescript-eslint/no-restricted-imports",
          message: expect.stringContaining("a domain imports only domains below it"),
        },
      ]);
    }
  });

  it("keeps Kubernetes, local hub processes and GitHub in core's adapter files", async () => {
    expect(
      await lint("packages/core", "src/hubs/queries.ts", `import { x } from "@hubfed/kube";\nx;\n`),
    ).toEqual([
      {
        rule: "@typescript-eslint/no-restricted-imports",
        message: expect.stringContaining("only core's provisioning/runtimes"),
      },
    ]);
    expect(
      await lint(
        "packages/core",
        "src/provisioning/runtimes/kubernetes.ts",
        `import { x } from "@hubfed/kube";\nx;\n`,
      ),
    ).toEqual([]);
  });

  it("refuses process.env outside an app's env.ts", async () => {
    const readsEnvironment = `export const url = process.env.DATABASE_URL;\n`;
    expect(await lint("packages/core", "src/gitops/export.ts", readsEnvironment)).toEqual([
      { rule: "no-restricted-properties", message: expect.stringContaining("app's env.ts") },
    ]);
    expect(await lint("apps/worker", "src/env.ts", readsEnvironment)).toEqual([]);
  });

  it("refuses `export *` entry points", async () => {
    expect(
      await lint("packages/core", "src/links/index.ts", `export * from "./service";\n`),
    ).toEqual([{ rule: "no-restricted-syntax", message: expect.stringContaining("Entry points") }]);
  });

  it("places every folder of core in the domain order", () => {
    const folders = readdirSync(path.join(repositoryRoot, "packages/core/src"), {
      withFileTypes: true,
    })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual((coreDomainLayers as string[][]).flat().sort());
  });
});
