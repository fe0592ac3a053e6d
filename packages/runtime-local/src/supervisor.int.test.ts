import { chmod, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localHubMarkerVariable, writeLocalHubFiles } from "./config";
import { type LocalHub } from "./hub";
import { findProcessesWithEnvironment, readCommandLine, sleep } from "./processes";
import { LocalHubSupervisor, type HubGiveUpEvent, type HubRestartEvent } from "./supervisor";
import { buildTestHub } from "./testing";
import { createTemporaryHubsDirectory, releaseLocalHubsUnder } from "./accounts";

// Supervision without JupyterHub: stand-in processes make the restart and cleanup paths fast.

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe("LocalHubSupervisor", () => {
  let workDirectory: string;
  let hub: LocalHub;
  /** Stands in for jupyterhub: leaves a process in a session of its own, as the proxy does. */
  let standInHub: string;

  beforeAll(async () => {
    workDirectory = await createTemporaryHubsDirectory("hubfed-supervisor-");
    hub = buildTestHub({ dataDirectory: path.join(workDirectory, "hub") });
    await writeLocalHubFiles(hub);
    standInHub = path.join(workDirectory, "stand-in-hub.sh");
    await writeFile(
      standInHub,
      "#!/bin/sh\ntrap 'exit 0' TERM\nsetsid sleep 300 &\nwhile :; do sleep 1; done\n",
    );
    await chmod(standInHub, 0o755);
  });

  afterAll(async () => {
    await new LocalHubSupervisor({
      hub,
      environment: process.env,
      jupyterhubCommand: standInHub,
    }).stop();
    if (workDirectory) await releaseLocalHubsUnder(workDirectory);
    if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
  });

  it("restarts a hub that keeps failing with growing delays, then gives up", async () => {
    const restarts: HubRestartEvent[] = [];
    let giveUp: HubGiveUpEvent | undefined;
    const supervisor = new LocalHubSupervisor({
      hub,
      environment: process.env,
      jupyterhubCommand: "false",
      restartBackoff: { initialDelayMs: 20, maxConsecutiveRestarts: 3 },
      onRestart: (event) => restarts.push(event),
      onGiveUp: (event) => (giveUp = event),
    });
    expect(await supervisor.start()).toBe("started");
    await waitFor(() => giveUp !== undefined, 10_000, "the supervisor to give up");

    expect(
      restarts.map(({ attempt, delayMs, exitCode }) => ({ attempt, delayMs, exitCode })),
    ).toEqual([
      { attempt: 1, delayMs: 20, exitCode: 1 },
      { attempt: 2, delayMs: 40, exitCode: 1 },
      { attempt: 3, delayMs: 80, exitCode: 1 },
    ]);
    expect(giveUp).toMatchObject({ hubSlug: "physics-101", attempts: 3 });
    expect(supervisor.isRunning).toBe(false);
    await expect(supervisor.waitUntilReady({ timeoutMs: 5_000 })).rejects.toThrow(
      /gave up after 3 restarts; last exited \(code 1/,
    );
  });

  it("adopts a running hub, restarts it when it dies, and stops all its processes", async () => {
    const marked = () => findProcessesWithEnvironment(localHubMarkerVariable, hub.dataDirectory);
    const detachedSleeps = async () => {
      let count = 0;
      for (const pid of await marked()) {
        if ((await readCommandLine(pid))?.join(" ") === "sleep 300") count += 1;
      }
      return count;
    };
    const firstWorker = new LocalHubSupervisor({
      hub,
      environment: process.env,
      jupyterhubCommand: standInHub,
    });
    expect(await firstWorker.start()).toBe("started");
    const firstPid = firstWorker.pid;
    firstWorker.release();

    const restarts: HubRestartEvent[] = [];
    const nextWorker = new LocalHubSupervisor({
      hub,
      environment: process.env,
      jupyterhubCommand: standInHub,
      restartBackoff: { initialDelayMs: 20 },
      onRestart: (event) => restarts.push(event),
    });
    expect(await nextWorker.start()).toBe("adopted");
    expect(nextWorker.pid).toBe(firstPid);
    await waitFor(async () => (await detachedSleeps()) === 1, 5_000, "the first stand-in's sleep");

    // Not its child: the death is noticed by polling, with no exit status to report.
    process.kill(firstPid ?? 0, "SIGKILL");
    await waitFor(() => restarts.length === 1, 5_000, "a restart");
    expect(restarts[0]).toMatchObject({ previousPid: firstPid, exitCode: null, signal: null });
    expect(nextWorker.isRunning).toBe(true);

    // Each generation left one process in a session of its own; both must go with the hub.
    await waitFor(async () => (await detachedSleeps()) === 2, 5_000, "the second stand-in's sleep");
    await nextWorker.stop();
    expect(nextWorker.isRunning).toBe(false);
    expect(await marked()).toEqual([]);
  });
});
