// Steps both `npm start` and `npm test` take before any TypeScript can run:
// move to the supported Node.js when the running one is older (scripts/node-runtime.mjs),
// install the dependencies when they are missing or stale, and generate the
// Prisma client. Plain JavaScript with no dependencies, so it runs on a fresh clone.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runUnderSupportedNode } from "./node-runtime.mjs";

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: repositoryRoot, stdio: "inherit", ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed with exit code ${result.status ?? result.signal}`,
    );
  }
}

function modifiedAt(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

function newestModification(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestModification(full) : statSync(full).mtimeMs,
    );
  }
  return newest;
}

/**
 * Which Node the dependencies were installed under: its ABI (process.versions.modules), since
 * native addons and install scripts are built for one. node_modules from an older Node (a clone
 * that ran before the move to Node 24) is reinstalled rather than loaded into the wrong runtime.
 */
const installedUnderMarker = path.join(repositoryRoot, "node_modules", ".hubfed-node-abi");

export function ensureDependencies() {
  const installedMarker = path.join(repositoryRoot, "node_modules", ".package-lock.json");
  const lockFile = path.join(repositoryRoot, "package-lock.json");
  const installedUnder = existsSync(installedUnderMarker)
    ? readFileSync(installedUnderMarker, "utf8").trim()
    : undefined;
  if (
    existsSync(installedMarker) &&
    modifiedAt(installedMarker) >= modifiedAt(lockFile) &&
    installedUnder === process.versions.modules
  )
    return;
  console.log(`[hubfed] installing dependencies for Node.js ${process.versions.node} (npm ci)…`);
  run("npm", ["ci", "--no-audit", "--no-fund"]);
  writeFileSync(installedUnderMarker, `${process.versions.modules}\n`);
}

export function ensurePrismaClient() {
  const generatedClient = path.join(repositoryRoot, "packages/db/src/generated/prisma/client.ts");
  const schemaDirectory = path.join(repositoryRoot, "prisma/schema");
  if (modifiedAt(generatedClient) > newestModification(schemaDirectory)) return;
  console.log("[hubfed] generating the Prisma client…");
  run("node", ["packages/db/scripts/generate-client.mjs"]);
}

/**
 * Runs a TypeScript entry point with tsx and exits with its code. Ctrl-C
 * reaches the child through the terminal's process group; SIGTERM sent to us
 * alone is passed on. Either way we wait for the child to finish cleaning up.
 */
export function runTypeScript(entry, args = []) {
  const tsx = path.join(repositoryRoot, "node_modules/.bin/tsx");
  const child = spawn(tsx, [entry, ...args], { cwd: repositoryRoot, stdio: "inherit" });
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** Installs what is missing, then hands over to a TypeScript entry point with this process's arguments. */
export function bootstrapAndRun(entry) {
  // On an older Node this same script runs again under the pinned one, which takes the steps below.
  if (runUnderSupportedNode()) return;
  try {
    ensureDependencies();
    ensurePrismaClient();
  } catch (error) {
    console.error(`[hubfed] ${error.message}`);
    process.exit(1);
  }
  runTypeScript(entry, process.argv.slice(2));
}
