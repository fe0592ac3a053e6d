import { startProcess, type ManagedProcess, type StartProcessOptions } from "./processes";

export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long counts as stable: the next crash starts the delays over. */
  stableAfterMs: number;
  /** After this many crashes in a row without a stable run, the process is left stopped. */
  maxConsecutiveRestarts: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxConsecutiveRestarts: 10,
};

export interface ProcessRestart {
  name: string;
  exitCode: number;
  attempt: number;
  delayMs: number;
}

export interface SupervisedProcess extends ManagedProcess {
  /** How many times the process was started again after a crash. */
  readonly restartCount: number;
}

/**
 * A long-running child (the portal, the worker) that is started again when it dies: 1 s, 2 s,
 * 4 s … up to `maxDelayMs` after each crash in a row, the count starting over after a stable
 * run. Only when it keeps crashing (`maxConsecutiveRestarts`) does `exited` resolve, so the
 * caller can decide to stop the rest; `stop()` ends it for good.
 *
 * `child` is the current process; `exited` resolves once, when supervision ends.
 */
export function superviseProcess(
  options: StartProcessOptions & {
    restartPolicy?: Partial<RestartPolicy>;
    onRestart?: (restart: ProcessRestart) => void;
    onExit?: (name: string, exitCode: number) => void;
  },
): SupervisedProcess {
  const policy = { ...defaultRestartPolicy, ...options.restartPolicy };
  let current = startProcess(options);
  let startedAt = Date.now();
  let consecutive = 0;
  let restartCount = 0;
  let isStopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let finish: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (finish = resolve));

  const watch = (managed: ManagedProcess) => {
    void managed.exited.then((exitCode) => {
      if (isStopping || managed !== current) return;
      // What the dead process started (tsx runs the app in a child node) would keep its ports.
      if (managed.child.pid !== undefined)
        try {
          process.kill(-managed.child.pid, "SIGKILL");
        } catch {
          // Nothing left in the group.
        }
      options.onExit?.(options.name, exitCode);
      if (Date.now() - startedAt >= policy.stableAfterMs) consecutive = 0;
      if (consecutive >= policy.maxConsecutiveRestarts) {
        finish(exitCode);
        return;
      }
      consecutive += 1;
      const delayMs = Math.min(policy.initialDelayMs * 2 ** (consecutive - 1), policy.maxDelayMs);
      options.onRestart?.({ name: options.name, exitCode, attempt: consecutive, delayMs });
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        if (isStopping) return;
        current = startProcess(options);
        startedAt = Date.now();
        restartCount += 1;
        watch(current);
      }, delayMs);
    });
  };
  watch(current);

  return {
    name: options.name,
    get child() {
      return current.child;
    },
    get restartCount() {
      return restartCount;
    },
    exited,
    async stop(timeoutMs?: number) {
      isStopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      await current.stop(timeoutMs);
      finish(current.child.exitCode ?? 0);
    },
  };
}
