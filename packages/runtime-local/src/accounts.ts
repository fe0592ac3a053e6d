import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, rmdir, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { localHubCgroupName, localHubPaths, localStudentAccountPrefix } from "./hub";

const execFileAsync = promisify(execFile);

/** A student's system account on one hub (made by hubfed_spawner.py at their first spawn). */
export interface LocalStudentAccount {
  account: string;
  /** The hub user it belongs to, from the account's comment. */
  userName: string;
  uid: number;
}

/**
 * The hub's student accounts, from /etc/passwd: the hub's prefix, and a comment naming this data
 * directory (`hubfed <user> <data directory>`), so another hub's accounts are never taken.
 */
export async function listLocalStudentAccounts(
  dataDirectory: string,
): Promise<LocalStudentAccount[]> {
  const prefix = localStudentAccountPrefix(dataDirectory);
  const passwd = await readFile("/etc/passwd", "utf8");
  const accounts: LocalStudentAccount[] = [];
  for (const line of passwd.split("\n")) {
    const [account, , uid, , comment] = line.split(":");
    if (!account?.startsWith(prefix) || uid === undefined || comment === undefined) continue;
    const match = /^hubfed (\S+) (\S+)$/.exec(comment);
    if (match?.[2] !== dataDirectory || match[1] === undefined) continue;
    accounts.push({ account, userName: match[1], uid: Number(uid) });
  }
  return accounts;
}

/**
 * Removes the hub's student accounts (and their groups) once the hub is stopped and the homes
 * archived: a decommissioned course leaves no login, no uid that owns files, no process.
 */
export async function removeLocalStudentAccounts(dataDirectory: string): Promise<string[]> {
  const removed: string[] = [];
  for (const { account } of await listLocalStudentAccounts(dataDirectory)) {
    // A process left behind (the hub is stopped) would make userdel refuse.
    await execFileAsync("pkill", ["-KILL", "-u", account]).catch(() => undefined);
    await execFileAsync("userdel", [account]);
    removed.push(account);
  }
  return removed;
}

/** The file systems mounted under the hub's homes (loop storage), deepest first. */
export async function listMountedHomes(dataDirectory: string): Promise<string[]> {
  const homes = `${localHubPaths(dataDirectory).homes}/`;
  const mounts = await readFile("/proc/self/mounts", "utf8").catch(() => "");
  return mounts
    .split("\n")
    .map((line) => line.split(" ")[1]?.replace(/\\040/g, " "))
    .filter((mountPoint): mountPoint is string => mountPoint?.startsWith(homes) === true)
    .sort((a, b) => b.length - a.length);
}

export async function unmountHome(home: string): Promise<void> {
  await execFileAsync("umount", [home]);
}

/**
 * Students' servers run under their own accounts, so every directory above a hub's data
 * directory must let other accounts through (search permission, not listing). Throws naming the
 * first that does not.
 */
export async function checkDataDirectoryReachable(dataDirectory: string): Promise<void> {
  let directory = path.dirname(dataDirectory);
  for (;;) {
    const { mode } = await stat(directory);
    if ((mode & 0o001) === 0)
      throw new Error(
        `${directory} is closed to other accounts (mode ${(mode & 0o777).toString(8)}): students' servers could not reach their homes under ${dataDirectory}. Give it search permission (chmod o+x) or keep hubs elsewhere.`,
      );
    const parent = path.dirname(directory);
    if (parent === directory) return;
    directory = parent;
  }
}

/** A temporary directory for hubs (tests, the end-to-end run): mode 0711, see above. */
export async function createTemporaryHubsDirectory(prefix: string): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(directory, 0o711);
  return directory;
}

/**
 * Removes the hub's cgroups (one per student under `localHubCgroupName`), which the hub made
 * under the cgroups it inherited from this process. The students' servers are stopped by then;
 * a cgroup still holding a process stays (rmdir refuses) and is reported.
 */
export async function removeLocalHubCgroups(dataDirectory: string): Promise<string[]> {
  const groupName = localHubCgroupName(dataDirectory);
  const own = await readFile("/proc/self/cgroup", "utf8").catch(() => "");
  const mounts = await readFile("/proc/self/mounts", "utf8").catch(() => "");
  const directories: string[] = [];
  for (const line of own.split("\n")) {
    const [hierarchy, controllers, cgroupPath] = line.split(":");
    if (cgroupPath === undefined || controllers === undefined) continue;
    for (const mount of mounts.split("\n")) {
      const [, mountPoint, type, options] = mount.split(" ");
      if (mountPoint === undefined || options === undefined) continue;
      const isThisHierarchy =
        hierarchy === "0"
          ? type === "cgroup2"
          : type === "cgroup" &&
            controllers.split(",").some((name) => options.split(",").includes(name));
      if (isThisHierarchy) directories.push(path.join(mountPoint, cgroupPath, groupName));
    }
  }
  const left: string[] = [];
  for (const directory of new Set(directories)) {
    const children = await readdir(directory, { withFileTypes: true }).catch(() => []);
    for (const child of children.filter((entry) => entry.isDirectory()))
      await rmdir(path.join(directory, child.name)).catch(() =>
        left.push(path.join(directory, child.name)),
      );
    await rmdir(directory).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") left.push(directory);
    });
  }
  return left;
}

/**
 * Everything the local runtime made on the machine for the hubs under `directory`, once their
 * processes are stopped: home file systems unmounted, student accounts and cgroups removed. For
 * test runs and the end-to-end run, whose hubs live in a temporary directory removed afterwards
 * (decommission does the same for one hub, after archiving the homes).
 */
export async function releaseLocalHubsUnder(directory: string): Promise<void> {
  const prefix = `${directory.replace(/\/+$/, "")}/`;
  const mounts = await readFile("/proc/self/mounts", "utf8").catch(() => "");
  const mounted = mounts
    .split("\n")
    .map((line) => line.split(" ")[1])
    .filter((mountPoint): mountPoint is string => mountPoint?.startsWith(prefix) === true)
    .sort((a, b) => b.length - a.length);
  for (const mountPoint of mounted)
    await execFileAsync("umount", [mountPoint]).catch(() =>
      execFileAsync("umount", ["--lazy", mountPoint]),
    );
  const passwd = await readFile("/etc/passwd", "utf8");
  const dataDirectories = new Set<string>();
  for (const line of passwd.split("\n")) {
    const match = /^hubfed \S+ (\S+)$/.exec(line.split(":")[4] ?? "");
    if (match?.[1]?.startsWith(prefix)) dataDirectories.add(match[1]);
  }
  // A hub makes its cgroup at start, before any student: every hub under the directory counts.
  for (const entry of await readdir(directory, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory()) continue;
    const candidates = [path.join(directory, entry.name), directory];
    for (const candidate of candidates)
      if (existsSync(localHubPaths(candidate).config)) dataDirectories.add(candidate);
  }
  for (const dataDirectory of dataDirectories) {
    await removeLocalStudentAccounts(dataDirectory);
    await removeLocalHubCgroups(dataDirectory);
  }
}
