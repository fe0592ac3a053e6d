import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, open, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { localHubMarkerVariable } from "./config";
import { checkLocalHubHealth } from "./health";
import { localHubPaths, type LocalHub } from "./hub";
import {
  findProcessesWithEnvironment,
  isProcessAlive,
  readCommandLine,
  signalProcess,
  signalProcessGroup,
  sleep,
  waitForProcessesToExit,
} from "./processes";

/** Where Debian installs the Node modules its configurable-http-proxy needs. */
const debianNodeModules = "/usr/share/nodejs";

export interface HubRestartEvent {
  hubSlug: string;
  /** 1 for the first restart after a stable run, then 2, 3 … */
  attempt: number;
  previousPid: number | undefined;
  /** Unknown (null) for an adopted hub, whose exit status belongs to another parent. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  delayMs: number;
  pid: number;
}

export interface HubGiveUpEvent {
  hubSlug: string;
  attempts: number;
  lastError: string;
}

export interface RestartBackoff {
  initialDelayMs: number;
  maxDelayMs: number;
  /** After this many restarts in a row without a stable run, the supervisor gives up. */
  maxConsecutiveRestarts: number;
  /** A run at least this long resets the count. */
  stableAfterMs: number;
}

export interface LocalHubSupervisorOptions {
  hub: LocalHub;
  /**
   * The environment the hub starts from, given by the caller (the worker passes its own): this
   * library never reads the process's environment itself, and keeps only the allow-listed part
   * (`localHubEnvironmentAllowList`).
   */
  environment: NodeJS.ProcessEnv;
  jupyterhubCommand?: string;
  restartBackoff?: Partial<RestartBackoff>;
  /** How long SIGTERM gets before SIGKILL; JupyterHub stops its user servers meanwhile. */
  stopTimeoutMs?: number;
  onRestart?: (event: HubRestartEvent) => void;
  onGiveUp?: (event: HubGiveUpEvent) => void;
}

export type HubStartResult = "started" | "adopted" | "already-running";

const defaultBackoff: RestartBackoff = {
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxConsecutiveRestarts: 10,
  stableAfterMs: 60_000,
};

/**
 * The only variables a hub takes from the environment it is given. The worker's environment holds
 * the federation's secrets (DATABASE_URL, HUBFED_SECRET_KEY, NEXTAUTH_SECRET, GitHub and SMTP
 * credentials); a hub runs next to students' code, so it gets the basics a process needs and the
 * site's git settings (GIT_CONFIG_COUNT, GIT_CONFIG_KEY_<n>, GIT_CONFIG_VALUE_<n>: a mirror or
 * proxy for a git host, given on to nbgitpuller's git), and nothing else.
 */
export const localHubEnvironmentAllowList = [
  "PATH",
  "LANG",
  "LANGUAGE",
  "TZ",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "TMPDIR",
  "NODE_PATH",
] as const;
const allowedEnvironmentPattern = /^(LC_[A-Z_]+|GIT_CONFIG_(COUNT|KEY_\d+|VALUE_\d+))$/;

export function isAllowedInLocalHubEnvironment(name: string): boolean {
  return (
    (localHubEnvironmentAllowList as readonly string[]).includes(name) ||
    allowedEnvironmentPattern.test(name) ||
    name === localHubMarkerVariable
  );
}

/**
 * The environment JupyterHub runs in: the allow-listed part of `base`, the marker variable every
 * process of the hub inherits, and Debian's Node module directory, without which
 * configurable-http-proxy fails with "Cannot find module 'commander'" under any Node that is not
 * Debian's (with Debian's it is already searched).
 */
export function buildLocalHubEnvironment(
  hub: Pick<LocalHub, "dataDirectory">,
  base: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  // Empty on purpose: nothing, NODE_ENV included, comes along unless the allow-list says so.
  const environment = {} as NodeJS.ProcessEnv;
  for (const [name, value] of Object.entries(base))
    if (value !== undefined && isAllowedInLocalHubEnvironment(name)) environment[name] = value;
  environment[localHubMarkerVariable] = hub.dataDirectory;
  const nodePath = (base.NODE_PATH ?? "").split(path.delimiter).filter(Boolean);
  if (existsSync(debianNodeModules) && !nodePath.includes(debianNodeModules)) {
    environment.NODE_PATH = [...nodePath, debianNodeModules].join(path.delimiter);
  }
  return environment;
}

/**
 * Runs one hub's `jupyterhub` process: starts or adopts it, restarts it with exponential backoff
 * when it dies, and stops it with everything it started.
 *
 * The hub runs detached with its output going straight to `jupyterhub.log`, so it outlives the
 * worker that started it; its pid file lets the next worker adopt it instead of starting a second
 * one on the same ports.
 */
export class LocalHubSupervisor {
  readonly hub: LocalHub;
  readonly #paths: ReturnType<typeof localHubPaths>;
  readonly #options: LocalHubSupervisorOptions;
  readonly #backoff: RestartBackoff;
  #child: ChildProcess | undefined;
  #pid: number | undefined;
  #launchedAt = 0;
  #shouldRun = false;
  #consecutiveRestarts = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #adoptionWatch: NodeJS.Timeout | undefined;
  #gaveUp: HubGiveUpEvent | undefined;
  /** start/stop/restart run one at a time. */
  #operations: Promise<unknown> = Promise.resolve();

  constructor(options: LocalHubSupervisorOptions) {
    this.hub = options.hub;
    this.#options = options;
    this.#paths = localHubPaths(options.hub.dataDirectory);
    this.#backoff = { ...defaultBackoff, ...options.restartBackoff };
  }

  get pid(): number | undefined {
    return this.#pid !== undefined && isProcessAlive(this.#pid) ? this.#pid : undefined;
  }

  get isRunning(): boolean {
    return this.pid !== undefined;
  }

  /** Starts the hub unless this supervisor runs it already or a live one is found to adopt. */
  start(): Promise<HubStartResult> {
    return this.#serialize(async () => {
      this.#shouldRun = true;
      this.#gaveUp = undefined;
      this.#clearRestartTimer();
      if (this.isRunning) return "already-running";
      const existingPid = await this.#findRunningHub();
      if (existingPid !== undefined) {
        this.#adopt(existingPid);
        return "adopted";
      }
      this.#consecutiveRestarts = 0;
      await this.#launch();
      return "started";
    });
  }

  /**
   * Stops the hub and everything it started: SIGTERM (JupyterHub then stops the user servers and
   * the proxy), SIGKILL after the timeout, then any process still carrying the hub's marker.
   * Works on a hub this supervisor never started, through the pid file.
   */
  stop(): Promise<void> {
    return this.#serialize(async () => {
      this.#shouldRun = false;
      this.#clearRestartTimer();
      this.#stopAdoptionWatch();
      const pid = this.pid ?? (await this.#findRunningHub());
      const timeoutMs = this.#options.stopTimeoutMs ?? 15_000;
      if (pid !== undefined) {
        signalProcessGroup(pid, "SIGTERM");
        if (!(await waitForProcessesToExit([pid], timeoutMs))) {
          signalProcessGroup(pid, "SIGKILL");
          await waitForProcessesToExit([pid], 5_000);
        }
      }
      await this.#stopLeftovers();
      this.#child = undefined;
      this.#pid = undefined;
      await rm(this.#paths.hubPidFile, { force: true });
    });
  }

  /** Stops and starts again, e.g. to apply a rewritten configuration. */
  async restart(): Promise<HubStartResult> {
    await this.stop();
    return this.start();
  }

  /** Stops supervising and leaves the hub running, for the next worker to adopt. */
  release(): void {
    this.#shouldRun = false;
    this.#clearRestartTimer();
    this.#stopAdoptionWatch();
    this.#child?.removeAllListeners("exit");
    this.#child = undefined;
    this.#pid = undefined;
  }

  /** Resolves once `/hub/api/` answers through the proxy with JupyterHub's version. */
  async waitUntilReady({ timeoutMs = 60_000, intervalMs = 250 } = {}): Promise<{
    version: string;
  }> {
    const deadline = Date.now() + timeoutMs;
    let detail = "not checked yet";
    while (Date.now() < deadline) {
      if (this.#gaveUp) throw new Error(`Hub ${this.hub.hubSlug}: ${this.#gaveUp.lastError}`);
      const health = await checkLocalHubHealth(this.hub, { timeoutMs: 2_000 });
      if (health.isHealthy && health.version) return { version: health.version };
      detail = health.detail;
      await sleep(intervalMs);
    }
    const logTail = await this.#readLogTail();
    throw new Error(
      `Hub ${this.hub.hubSlug} not ready after ${timeoutMs} ms (${detail}).\n` +
        `End of ${this.#paths.log}:\n${logTail}`,
    );
  }

  #serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#operations.then(operation, operation);
    this.#operations = result.catch(() => undefined);
    return result;
  }

  /** `onSpawned` runs as soon as the process exists, before anything it does can be observed. */
  async #launch(onSpawned?: (pid: number) => void): Promise<number> {
    if (!existsSync(this.#paths.config)) {
      throw new Error(`Hub ${this.hub.hubSlug} has no configuration at ${this.#paths.config}`);
    }
    const command = this.#options.jupyterhubCommand ?? "jupyterhub";
    await appendFile(
      this.#paths.log,
      `[hubfed ${new Date().toISOString()}] starting ${command} -f ${this.#paths.config}\n`,
      { mode: 0o600 },
    );
    const log = await open(this.#paths.log, "a", 0o600);
    let child: ChildProcess;
    try {
      child = spawn(command, ["-f", this.#paths.config], {
        cwd: this.hub.dataDirectory,
        env: buildLocalHubEnvironment(this.hub, this.#options.environment),
        stdio: ["ignore", log.fd, log.fd],
        // A group of its own: stop() signals the group, and the worker's signals do not reach it.
        detached: true,
      });
    } catch (error) {
      await log.close();
      throw error;
    }
    // Listeners go on before the first await: a hub that fails at once must not exit unseen.
    const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
    const pid = child.pid;
    if (pid !== undefined) {
      this.#child = child;
      this.#pid = pid;
      this.#launchedAt = Date.now();
      child.once("exit", (exitCode, signal) => this.#handleExit(pid, exitCode, signal));
      child.unref();
      onSpawned?.(pid);
    }
    await log.close();
    if (pid === undefined) {
      const error = await spawnError;
      throw new Error(`Could not start ${command} for hub ${this.hub.hubSlug}: ${error.message}`);
    }
    await writeFile(this.#paths.hubPidFile, `${pid}\n`);
    return pid;
  }

  #adopt(pid: number): void {
    this.#pid = pid;
    this.#launchedAt = Date.now();
    this.#stopAdoptionWatch();
    // Not our child: no exit event, so look every second.
    this.#adoptionWatch = setInterval(() => {
      if (!isProcessAlive(pid)) {
        this.#stopAdoptionWatch();
        this.#handleExit(pid, null, null);
      }
    }, 1_000);
    this.#adoptionWatch.unref();
  }

  #handleExit(pid: number, exitCode: number | null, signal: NodeJS.Signals | null): void {
    if (pid !== this.#pid) return;
    this.#child = undefined;
    this.#pid = undefined;
    if (!this.#shouldRun) return;
    if (Date.now() - this.#launchedAt >= this.#backoff.stableAfterMs) this.#consecutiveRestarts = 0;
    this.#scheduleRestart(pid, exitCode, signal, `exited (code ${exitCode}, signal ${signal})`);
  }

  #scheduleRestart(
    previousPid: number | undefined,
    exitCode: number | null,
    signal: NodeJS.Signals | null,
    reason: string,
  ): void {
    const { initialDelayMs, maxDelayMs, maxConsecutiveRestarts } = this.#backoff;
    if (this.#consecutiveRestarts >= maxConsecutiveRestarts) {
      this.#shouldRun = false;
      this.#gaveUp = {
        hubSlug: this.hub.hubSlug,
        attempts: this.#consecutiveRestarts,
        lastError: `gave up after ${this.#consecutiveRestarts} restarts; last ${reason}`,
      };
      this.#options.onGiveUp?.(this.#gaveUp);
      return;
    }
    this.#consecutiveRestarts += 1;
    const attempt = this.#consecutiveRestarts;
    const delayMs = Math.min(initialDelayMs * 2 ** (attempt - 1), maxDelayMs);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      void this.#serialize(async () => {
        if (!this.#shouldRun || this.isRunning) return;
        try {
          await this.#launch((pid) =>
            this.#options.onRestart?.({
              hubSlug: this.hub.hubSlug,
              attempt,
              previousPid,
              exitCode,
              signal,
              delayMs,
              pid,
            }),
          );
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.#scheduleRestart(previousPid, null, null, `start failed: ${message}`);
        }
      });
    }, delayMs);
  }

  /**
   * A live `jupyterhub` running this hub's configuration: the one in the pid file, or, when the
   * pid file is missing or stale (a worker died right after spawning), one found by its marker.
   */
  async #findRunningHub(): Promise<number | undefined> {
    const isThisHub = async (pid: number) =>
      Number.isInteger(pid) &&
      pid > 0 &&
      isProcessAlive(pid) &&
      // A pid may be reused: only a process running this hub's configuration counts.
      (await readCommandLine(pid))?.includes(this.#paths.config) === true;
    try {
      const pid = Number.parseInt(await readFile(this.#paths.hubPidFile, "utf8"), 10);
      if (await isThisHub(pid)) return pid;
    } catch {
      // No pid file.
    }
    for (const pid of await findProcessesWithEnvironment(
      localHubMarkerVariable,
      this.hub.dataDirectory,
    )) {
      if (await isThisHub(pid)) {
        await writeFile(this.#paths.hubPidFile, `${pid}\n`);
        return pid;
      }
    }
    return undefined;
  }

  async #stopLeftovers(): Promise<void> {
    const leftovers = await findProcessesWithEnvironment(
      localHubMarkerVariable,
      this.hub.dataDirectory,
    );
    if (leftovers.length > 0) {
      for (const pid of leftovers) signalProcess(pid, "SIGTERM");
      if (!(await waitForProcessesToExit(leftovers, 5_000))) {
        for (const pid of leftovers) signalProcess(pid, "SIGKILL");
        await waitForProcessesToExit(leftovers, 5_000);
      }
    }
    // Its proxy is gone; a stale pid file would make the next hub signal whoever reuses the pid.
    await rm(this.#paths.proxyPidFile, { force: true });
  }

  #clearRestartTimer(): void {
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
  }

  #stopAdoptionWatch(): void {
    if (this.#adoptionWatch) clearInterval(this.#adoptionWatch);
    this.#adoptionWatch = undefined;
  }

  async #readLogTail(lines = 30): Promise<string> {
    try {
      return (await readFile(this.#paths.log, "utf8")).split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }
}
