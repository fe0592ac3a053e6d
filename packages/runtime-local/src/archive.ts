import { execFile } from "node:child_process";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { healthCheckUserName } from "@hubfed/hub-spec";
import path from "node:path";
import { promisify } from "node:util";
import {
  listMountedHomes,
  removeLocalHubCgroups,
  removeLocalStudentAccounts,
  unmountHome,
} from "./accounts";
import { localHubPaths, type LocalHub } from "./hub";
import type { LocalHubSupervisor } from "./supervisor";

const execFileAsync = promisify(execFile);

export interface UserHomeArchive {
  userName: string;
  path: string;
  sizeBytes: number;
}

/**
 * Writes `<archive>/<user>.tar.gz` for one home with the system tar; the member names start with
 * the user's directory. Written under a temporary name and renamed, so an archive that exists is
 * complete.
 */
export async function archiveUserHome(
  hub: Pick<LocalHub, "dataDirectory">,
  userName: string,
): Promise<UserHomeArchive> {
  const paths = localHubPaths(hub.dataDirectory);
  await mkdir(paths.archive, { recursive: true });
  const target = path.join(paths.archive, `${userName}.tar.gz`);
  const temporary = `${target}.partial`;
  // "./<name>" so that a user name starting with "-" can never read as an option.
  await execFileAsync("tar", ["-czf", temporary, "-C", paths.homes, `./${userName}`]);
  await rename(temporary, target);
  const { size } = await stat(target);
  return { userName, path: target, sizeBytes: size };
}

/**
 * Stops the hub (with its user servers and proxy), archives every home and then removes the
 * homes, their storage images and the students' system accounts. Safe to run again after an interruption: archives are rewritten from the homes still
 * there, and the ones of homes already removed are reported as they are.
 */
export async function decommissionLocalHub({
  hub,
  supervisor,
}: {
  hub: LocalHub;
  /** The hub's supervisor, or a new one: stopping works through the pid file either way. */
  supervisor: LocalHubSupervisor;
}): Promise<UserHomeArchive[]> {
  await supervisor.stop();
  const paths = localHubPaths(hub.dataDirectory);
  const archives = new Map<string, UserHomeArchive>();
  for (const userName of await listDirectories(paths.homes)) {
    // The health check's synthetic user holds nobody's work: removed, not archived.
    if (userName !== healthCheckUserName)
      archives.set(userName, await archiveUserHome(hub, userName));
    const home = path.join(paths.homes, userName);
    if ((await listMountedHomes(hub.dataDirectory)).includes(home)) await unmountHome(home);
    await rm(home, { recursive: true, force: true });
  }
  // Homes mounted without a directory entry left (an interrupted run) and the images behind them.
  for (const home of await listMountedHomes(hub.dataDirectory)) await unmountHome(home);
  await rm(paths.storage, { recursive: true, force: true });
  await removeLocalStudentAccounts(hub.dataDirectory);
  await removeLocalHubCgroups(hub.dataDirectory);
  for (const entry of await listEntries(paths.archive)) {
    const userName = entry.endsWith(".tar.gz") ? entry.slice(0, -".tar.gz".length) : undefined;
    if (userName === undefined || archives.has(userName)) continue;
    const archivePath = path.join(paths.archive, entry);
    archives.set(userName, {
      userName,
      path: archivePath,
      sizeBytes: (await stat(archivePath)).size,
    });
  }
  return [...archives.values()].sort((a, b) => a.userName.localeCompare(b.userName));
}

async function listDirectories(directory: string): Promise<string[]> {
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

async function listEntries(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
