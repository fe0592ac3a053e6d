import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface DebianRequirement {
  /** Paths whose presence means the packages are installed. */
  paths: string[];
  packages: string[];
  /** What needs them, for the messages. */
  purpose: string;
}

/**
 * Installs Debian packages the project needs when they are missing and we
 * are root (the only registries we reach are npm's and Debian's); otherwise
 * throws with the apt-get command to run.
 */
export function ensureDebianPackages(
  { paths, packages, purpose }: DebianRequirement,
  log: (line: string) => void = console.log,
): void {
  if (paths.every((path) => existsSync(path))) return;
  if (process.getuid?.() !== 0)
    throw new Error(
      `${purpose} needs Debian's ${packages.join(", ")}: sudo apt-get install ${packages.join(" ")}`,
    );
  log(`[hubfed] installing Debian's ${packages.join(", ")} for ${purpose}…`);
  // Another install (a second `npm start`, unattended upgrades) may hold apt's
  // locks: wait for it rather than failing the whole run.
  const waitForLocks = ["-o", "DPkg::Lock::Timeout=600"];
  execFileSync("apt-get", [...waitForLocks, "update", "-q"], { stdio: "inherit" });
  execFileSync("apt-get", [...waitForLocks, "install", "-y", "-q", ...packages], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

export const jupyterHubPackages: DebianRequirement = {
  paths: [
    "/usr/bin/jupyterhub",
    "/usr/bin/configurable-http-proxy",
    "/usr/lib/python3/dist-packages/nbgitpuller",
    "/usr/lib/python3/dist-packages/nbclient",
    "/usr/lib/python3/dist-packages/nbformat",
    "/usr/lib/python3/dist-packages/ipykernel",
  ],
  // nbclient and nbformat run notebooks the way Jupyter does: the autograder's driver.
  packages: [
    "jupyterhub",
    "python3-nbgitpuller",
    "python3-nbclient",
    "python3-nbformat",
    "python3-ipykernel",
  ],
  purpose: "the local runtime's JupyterHub processes and the autograder",
};

export const chromiumPackages: DebianRequirement = {
  paths: ["/usr/bin/chromium"],
  packages: ["chromium"],
  purpose: "the end-to-end tests' browser",
};
