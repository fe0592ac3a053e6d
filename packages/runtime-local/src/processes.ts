import { existsSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { localHubMarkerVariable } from "./config";

/** True while the process exists and is not a zombie waiting for a parent that never reaps. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    // Exited meanwhile, or no /proc at all (not Linux), where kill(0) is all we have.
    return !existsSync("/proc/self/stat");
  }
}

/** The command line of a process, or undefined when it is gone (Linux /proc). */
export async function readCommandLine(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return raw.split("\0").filter((part) => part.length > 0);
  } catch {
    return undefined;
  }
}

/** Sends a signal to a process, ignoring one already gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** Signals the process group led by `pid`, or the process alone when it leads no group. */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    signalProcess(pid, signal);
  }
}

/**
 * The processes whose initial environment holds `name=value`. JupyterHub starts the proxy, its
 * services and each user server in sessions of their own, so a hub's processes share no process
 * group; the marker variable is what ties them together.
 */
export async function findProcessesWithEnvironment(name: string, value: string): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    return [];
  }
  const needle = `${name}=${value}`;
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const environment = await readFile(`/proc/${entry}/environ`, "utf8");
      if (environment.split("\0").includes(needle)) found.push(pid);
    } catch {
      // Exited meanwhile, or not ours to read.
    }
  }
  return found;
}

export async function waitForProcessesToExit(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!pids.some(isProcessAlive)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Stops every local hub process whose marker points under `directory`
 * (hubs keep running when the worker stops, by design; a test run that made
 * them under a temporary directory ends them here). Returns how many were ended.
 */
export async function stopLocalHubProcessesUnder(
  directory: string,
  { timeoutMs = 5_000 } = {},
): Promise<number> {
  const prefix = `${localHubMarkerVariable}=${directory}`;
  const pids: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const environment = await readFile(`/proc/${entry}/environ`, "utf8").catch(() => "");
    if (environment.split("\0").some((variable) => variable.startsWith(prefix)))
      pids.push(Number(entry));
  }
  for (const pid of pids) signalProcess(pid, "SIGTERM");
  if (!(await waitForProcessesToExit(pids, timeoutMs)))
    for (const pid of pids) signalProcess(pid, "SIGKILL");
  return pids.length;
}

/**
 * The processes of one local hub, found by its marker: JupyterHub, its proxy, its services and
 * every user server (`userServerPids`, those running `jupyterhub.singleuser`). None means the hub
 * is stopped through and through.
 */
export async function listLocalHubProcesses(
  dataDirectory: string,
): Promise<{ pids: number[]; userServerPids: number[] }> {
  const pids = await findProcessesWithEnvironment(localHubMarkerVariable, dataDirectory);
  const userServerPids: number[] = [];
  for (const pid of pids)
    if ((await readCommandLine(pid))?.includes("jupyterhub.singleuser")) userServerPids.push(pid);
  return { pids, userServerPids };
}
