// The layers of Hubfed, as lint rules (docs/ARCHITECTURE.md draws them).
// Every workspace's ESLint config includes boundaryConfigs(workspace), so a
// slip — the portal importing Kubernetes, core importing next-auth, a cycle
// between two of core's domains, process.env read in a library — fails
// `npm run lint` with a message that names the rule broken. The rules are
// ESLint's own (@typescript-eslint/no-restricted-imports,
// no-restricted-properties, no-restricted-syntax); this file only says
// what they forbid where. packages/config/boundaries.test.ts proves each fires.

/**
 * Which of our packages each workspace may import. Everything else under
 * @hubfed/ is refused. apps → api → core → adapters and foundations; no
 * package imports one above it.
 */
export const allowedWorkspaceImports = {
  "apps/portal": [
    "api",
    "auth",
    "core",
    "db",
    "grader",
    "hub-spec",
    "identity",
    "jobs",
    "observability",
  ],
  "apps/worker": ["core", "db", "identity", "jobs", "observability"],
  "packages/api": ["auth", "core", "db", "grader", "hub-spec", "identity", "jobs"],
  "packages/core": [
    "auth",
    "db",
    "github",
    "grader",
    "hub-spec",
    "identity",
    "jobs",
    "kube",
    "observability",
    "runtime-local",
  ],
  "packages/identity": ["db"],
  "packages/auth": ["db"],
  "packages/jobs": [],
  "packages/kube": ["grader", "hub-spec"],
  "packages/runtime-local": ["grader", "hub-spec", "observability"],
  "packages/grader": [],
  "packages/github": [],
  "packages/hub-spec": [],
  "packages/db": [],
  "packages/stack": [],
  "packages/observability": [],
  "packages/config": [],
};

const workspacePackages = [
  ...new Set(
    Object.keys(allowedWorkspaceImports).map((workspace) => workspace.split("/")[1] ?? ""),
  ),
].filter((name) => !["portal", "worker"].includes(name));

/** Outside libraries a workspace must not reach for, with the reason. */
const forbiddenLibraries = {
  "packages/core": [
    ["next-auth", "core is framework-free: sessions are the app's and identity's business"],
    ["next", "core is framework-free: pages and routes live in apps/portal"],
    ["react", "core is framework-free: components live in apps/portal"],
    ["bullmq", "core talks to the JobQueues interface of @hubfed/jobs, never to BullMQ"],
  ],
  "packages/api": [["bullmq", "the API queues work through the JobQueues interface"]],
  "packages/identity": [["bullmq", "identity queues nothing"]],
  "packages/hub-spec": [["@kubernetes/client-node", "the hub spec is pure data"]],
  "apps/portal": [
    ["@kubernetes/client-node", "the portal never talks to Kubernetes; the worker does"],
  ],
};

/**
 * Entry points of core that carry server-only adapters (Kubernetes, child
 * processes, Git): the portal must not import them, so its bundle stays free
 * of them. The worker imports them.
 */
const serverOnlyCoreEntries = [
  "@hubfed/core/runtimes",
  "@hubfed/core/gitops",
  "@hubfed/core/grading-sandboxes",
];

/**
 * Core's domains, bottom to top. A domain imports only domains in lower
 * layers, so no two domains can import each other, directly or round about.
 * Files at core's root (errors.ts, slugs.ts) are usable by every domain.
 * A new domain goes in the lowest layer above everything it needs.
 */
export const coreDomainLayers = [
  ["regions", "courses", "institutions"],
  ["pricing", "audit", "people", "health", "notifications"],
  ["credits"],
  ["hubs"],
  ["metering", "links", "fleet"],
  ["enrollment", "provisioning"],
  ["requests", "gitops", "capacity", "grading"],
  ["demo"],
  ["testing", "cli"],
];

/** Core files that may import Kubernetes, local hub processes and GitHub. */
const coreAdapterFiles = [
  "src/provisioning/runtimes/**",
  "src/gitops/**",
  "src/links/verification.ts",
  "src/grading/repository-material.ts",
  "src/grading/sandboxes.ts",
];

/** Where process.env may be read: each app's env.ts and programs started from a shell. */
const environmentReaders = [
  "src/env.ts",
  "src/cli.ts",
  "src/cli/**",
  "scripts/**",
  "**/*.test.ts",
  "**/testing/**",
  "**/test-server/**",
  "**/fake-server/**",
];

/**
 * Where console.* may be used: command-line programs writing for the person who ran them, and
 * tests. Everything else logs through the one logger (@hubfed/observability's createLogger:
 * JSON lines with the request or job id, secrets scrubbed).
 */
const consoleWriters = [
  "src/cli.ts",
  "src/cli/**",
  "**/*.test.ts",
  "**/test-server/**",
  "**/fake-server/**",
];

const layerRuleName = "@typescript-eslint/no-restricted-imports";

function workspacePatterns(workspace) {
  const allowed = new Set(allowedWorkspaceImports[workspace] ?? []);
  const refused = workspacePackages.filter(
    (name) => !allowed.has(name) && `packages/${name}` !== workspace,
  );
  const patterns = refused.map((name) => ({
    group: [`@hubfed/${name}`, `@hubfed/${name}/*`],
    message: `Layers: ${workspace} may not import @hubfed/${name} (allowed: ${[...allowed].join(", ") || "none"}). See docs/ARCHITECTURE.md.`,
  }));
  for (const [library, reason] of forbiddenLibraries[workspace] ?? [])
    patterns.push({
      group: [library, `${library}/*`],
      message: `Layers: ${workspace} may not import ${library}: ${reason}.`,
    });
  if (workspace === "apps/portal")
    patterns.push({
      group: serverOnlyCoreEntries,
      message:
        "Layers: the portal may not import core's server-only adapters (runtimes, gitops); the worker runs them.",
    });
  return patterns;
}

/** Exact module names refused (patterns would also catch their subpaths). */
function workspacePaths(workspace) {
  if (workspace !== "packages/core") return [];
  return [
    {
      name: "@hubfed/auth",
      message:
        "Layers: core imports auth's pure entry points (@hubfed/auth/permissions, @hubfed/auth/actor), never its next-auth options.",
    },
  ];
}

function domainPatterns(domain, depthLimit = 3) {
  const layer = coreDomainLayers.findIndex((domains) => domains.includes(domain));
  const lower = coreDomainLayers.slice(0, layer).flat();
  const notBelow = coreDomainLayers
    .flat()
    .filter((other) => other !== domain && !lower.includes(other));
  return notBelow.map((other) => {
    const group = [];
    for (let depth = 1; depth <= depthLimit; depth += 1) {
      const up = "../".repeat(depth);
      group.push(`${up}${other}`, `${up}${other}/*`, `${up}${other}/**`);
    }
    return {
      group,
      message: `Layers: core's ${domain} may not import ${other}; a domain imports only domains below it (${lower.join(", ") || "none"}). See coreDomainLayers in packages/config/boundaries.js.`,
    };
  });
}

function adapterPatterns() {
  return ["kube", "runtime-local", "github"].map((name) => ({
    group: [`@hubfed/${name}`, `@hubfed/${name}/*`],
    allowTypeImports: true,
    message: `Layers: only core's provisioning/runtimes, gitops and links/verification talk to @hubfed/${name}; the rest of core stays importable by the portal.`,
  }));
}

/**
 * @hubfed/grader's main entry runs sandboxes (child processes); the rest of core
 * uses its pure entries (@hubfed/grader/contract, @hubfed/grader/ok-format).
 */
const graderSandboxEntry = {
  name: "@hubfed/grader",
  allowTypeImports: true,
  message:
    "Layers: only core's grading/sandboxes.ts runs grading sandboxes; use @hubfed/grader/contract or /ok-format elsewhere.",
};

function restrictedImports(workspace, patterns, paths = []) {
  return {
    [layerRuleName]: ["error", { paths: [...workspacePaths(workspace), ...paths], patterns }],
  };
}

/**
 * The boundary rules for one workspace ("packages/core", "apps/portal", …),
 * as flat-config objects whose `files` are relative to the workspace.
 */
export function boundaryConfigs(workspace) {
  const base = workspacePatterns(workspace);
  const configs = [
    { files: ["**/*.ts", "**/*.tsx"], rules: restrictedImports(workspace, base) },
    // Tests may start the real services @hubfed/stack runs (ADR 0002): Redis, PostgreSQL, TLS,
    // and the stalling proxy fault tests put in front of them.
    {
      files: ["**/*.test.ts"],
      rules: restrictedImports(
        workspace,
        base.filter((pattern) => !pattern.group.includes("@hubfed/stack")),
      ),
    },
    {
      files: ["**/*.ts", "**/*.tsx"],
      rules: {
        "no-restricted-syntax": [
          "error",
          {
            selector: "ExportAllDeclaration",
            message:
              "Entry points: list what a module exports (export { a, b } from …); `export *` hides what crosses the boundary.",
          },
        ],
      },
    },
  ];
  if (workspace !== "packages/stack")
    configs.push({
      files: ["**/*.ts", "**/*.tsx"],
      ignores: environmentReaders,
      rules: {
        "no-restricted-properties": [
          "error",
          {
            object: "process",
            property: "env",
            message:
              "Configuration: read process.env only in the app's env.ts (or a command-line entry point) and pass settings in.",
          },
        ],
      },
    });
  // packages/stack runs local services for `npm start` and the tests, in a developer's terminal.
  if (workspace !== "packages/stack")
    configs.push({
      files: ["**/*.ts", "**/*.tsx"],
      ignores: consoleWriters,
      rules: { "no-console": "error" },
    });
  if (workspace === "apps/portal")
    configs.push({
      // ADR 0009: a page reads domain data through the API (serverApi), so it passes the same
      // permission check as the browser. The content-link router and sign-in are the exceptions.
      files: ["src/app/**/page.tsx", "src/app/**/layout.tsx"],
      ignores: ["src/app/interact/**", "src/app/i/**", "src/app/signin/**"],
      rules: restrictedImports(workspace, base, [
        {
          name: "~/server/services",
          message:
            "Pages: read domain data through serverApi() (ADR 0009), not the database clients.",
        },
        {
          name: "@hubfed/db",
          allowTypeImports: true,
          message: "Pages: read domain data through serverApi() (ADR 0009), not Prisma.",
        },
      ]),
    });
  if (workspace === "packages/core") {
    const tests = ["**/*.test.ts", "**/test-fixtures.ts"];
    configs.push({
      files: ["src/**/*.ts"],
      ignores: [...tests, ...coreAdapterFiles],
      rules: restrictedImports(workspace, [...base, ...adapterPatterns()], [graderSandboxEntry]),
    });
    for (const domain of coreDomainLayers.flat())
      configs.push({
        files: [`src/${domain}/**/*.ts`],
        ignores: [...tests, ...coreAdapterFiles],
        rules: restrictedImports(
          workspace,
          [...base, ...adapterPatterns(), ...domainPatterns(domain)],
          [graderSandboxEntry],
        ),
      });
    // Adapter files keep the domain order but may use the adapters.
    for (const domain of ["provisioning", "gitops", "links", "grading"])
      configs.push({
        files: coreAdapterFiles.filter((glob) => glob.startsWith(`src/${domain}/`)),
        ignores: tests,
        rules: restrictedImports(workspace, [...base, ...domainPatterns(domain)]),
      });
    configs.push({
      files: ["src/index.ts"],
      rules: restrictedImports(
        workspace,
        [...base, ...adapterPatterns()],
        [
          "./provisioning/runtimes",
          "./provisioning/runtimes/index",
          "./gitops",
          "./gitops/index",
          "./gitops/export",
          "./gitops/render",
          "./grading/sandboxes",
        ].map((name) => ({
          name,
          message:
            "Entry points: core's main entry stays free of server-only adapters; they are @hubfed/core/runtimes and @hubfed/core/gitops.",
        })),
      ),
    });
  }
  return configs;
}
