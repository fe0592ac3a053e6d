import { spawn, type ChildProcess } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { useTestDatabase } from "@hubfed/db/testing";
import { provisionHubJob, provisionJobId, redisConnectionFromUrl } from "@hubfed/jobs";
import {
  createTemporaryHubsDirectory,
  releaseLocalHubsUnder,
  stopLocalHubProcessesUnder,
} from "@hubfed/runtime-local";
import { findFreePort } from "@hubfed/stack";
import { repositoryRoot } from "./federation";

// Issue 16: `kill -9` of the worker under `npm start` no longer stops the federation. The portal
// keeps answering, the worker is back within seconds, and a job it was running is retried by the
// new worker (BullMQ's stalled-job check), not lost.

const database = useTestDatabase();

async function childrenRunning(marker: string): Promise<Array<{ pid: number; ppid: number }>> {
  const found: Array<{ pid: number; ppid: number }> = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = (await readFile(`/proc/${entry}/cmdline`, "utf8")).split("\0");
      if (!commandLine.some((part) => part.endsWith(marker))) continue;
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      found.push({ pid: Number(entry), ppid });
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** The worker's own node process (tsx runs it in a child): the one whose parent is not a worker. */
async function findWorkerProcess(environmentNeedle: string): Promise<number | undefined> {
  const candidates = await childrenRunning("apps/worker/src/main.ts");
  const ours: number[] = [];
  for (const candidate of candidates) {
    const environment = await readFile(`/proc/${candidate.pid}/environ`, "utf8").catch(() => "");
    if (environment.split("\0").includes(environmentNeedle)) ours.push(candidate.pid);
  }
  const leaf = candidates.find(
    (candidate) =>
      ours.includes(candidate.pid) &&
      !candidates.some((other) => other.ppid === candidate.pid && ours.includes(other.pid)),
  );
  return leaf?.pid;
}

async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe("npm start under a worker crash", () => {
  let start: ChildProcess | undefined;
  let output = "";
  let dataDirectory = "";

  afterAll(async () => {
    if (start?.pid !== undefined && start.exitCode === null) {
      start.kill("SIGTERM");
      await new Promise((resolve) => start?.once("exit", resolve));
    }
    // The demo hubs outlive npm start by design; this run's go with it.
    if (dataDirectory) {
      await stopLocalHubProcessesUnder(dataDirectory);
      await releaseLocalHubsUnder(dataDirectory);
      await rm(dataDirectory, { recursive: true, force: true });
    }
  }, 120_000);

  it("keeps the portal answering, brings the worker back within seconds and retries its job", async () => {
    const port = await findFreePort();
    const probePort = await findFreePort();
    // A Redis of its own (npm start starts it): no other test's worker may take this job.
    const redisPort = await findFreePort();
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    dataDirectory = await createTemporaryHubsDirectory("hubfed-start-supervision-");
    start = spawn("node", ["scripts/start.mjs"], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        DATABASE_URL: database().url,
        REDIS_URL: "",
        HUBFED_REDIS_PORT: String(redisPort),
        HUBFED_PORT: String(port),
        HUBFED_WORKER_PROBE_PORT: String(probePort),
        HUBFED_DATA_DIR: dataDirectory,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    start.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    start.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      () => Promise.resolve(output.includes("Hubfed is running") ? true : undefined),
      540_000,
      `npm start (output so far:\n${output.slice(-2000)})`,
    );
    const portalUrl = `http://127.0.0.1:${port}`;

    // A job the worker is running when it dies: a restart of one of the Portal VM's hubs.
    const hub = await database().db.hub.findFirstOrThrow({
      where: { cluster: { runtime: "LOCAL" }, status: "READY" },
      select: { id: true, slug: true },
    });
    const queue = new Queue(provisionHubJob.queue, {
      connection: redisConnectionFromUrl(redisUrl),
      prefix: "hubfed",
    });
    try {
      const jobId = provisionJobId(hub.id, { occasion: "restart", atMs: Date.now() });
      await queue.add(
        provisionHubJob.name,
        { hubId: hub.id, trigger: "restart" },
        { jobId, attempts: provisionHubJob.attempts },
      );
      await waitFor(
        async () => ((await queue.getJobState(jobId)) === "active" ? true : undefined),
        30_000,
        "the worker to take the job",
      );

      const workerPid = await waitFor(
        () => findWorkerProcess(`WORKER_PROBE_PORT=${probePort}`),
        10_000,
        "the worker's process",
      );
      // The portal is asked all along: every answer must come.
      let portalFailures = 0;
      let portalAnswers = 0;
      let isWatching = true;
      const watchPortal = (async () => {
        while (isWatching) {
          const response = await fetch(`${portalUrl}/api/health`, {
            signal: AbortSignal.timeout(5_000),
          }).catch(() => undefined);
          if (response) portalAnswers += 1;
          else portalFailures += 1;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      })();

      const killedAt = performance.now();
      process.kill(workerPid, "SIGKILL");
      // Started again: a new worker process (after the 1 s backoff)…
      await waitFor(
        async () => {
          const pid = await findWorkerProcess(`WORKER_PROBE_PORT=${probePort}`);
          return pid !== undefined && pid !== workerPid ? pid : undefined;
        },
        10_000,
        "a new worker process",
      );
      const relaunchedAfterMs = Math.round(performance.now() - killedAt);
      // …that is soon serving: its probe answers once it has connected and taken its queues,
      // which on two shared cores is mostly tsx compiling the worker again.
      await waitFor(
        async () => {
          const live = await fetch(`http://127.0.0.1:${probePort}/livez`).catch(() => undefined);
          return live?.ok ? true : undefined;
        },
        60_000,
        "the worker to answer /livez again",
      );
      const backAfterMs = Math.round(performance.now() - killedAt);
      console.log(
        `worker process started again ${relaunchedAfterMs} ms after kill -9, answering /livez after ${backAfterMs} ms`,
      );
      expect(relaunchedAfterMs).toBeLessThan(5_000);

      // BullMQ gives a job whose worker died back to the queue once its lock expires (30 s);
      // the new worker runs it again.
      await waitFor(
        async () => ((await queue.getJobState(jobId)) === "completed" ? true : undefined),
        150_000,
        "the interrupted job to be run again and complete",
      );
      const job = await queue.getJob(jobId);
      console.log(
        `job ${jobId}: completed ${Math.round(performance.now() - killedAt)} ms after the kill, stalled ${job?.stalledCounter ?? "?"} time(s)`,
      );
      isWatching = false;
      await watchPortal;
      console.log(
        output
          .split("\n")
          .filter((line) => line.startsWith("[hubfed]"))
          .join("\n"),
      );
      expect(portalFailures).toBe(0);
      expect(portalAnswers).toBeGreaterThan(10);
      expect(output).toMatch(/\[hubfed\] worker exited unexpectedly with code \d+/);
      expect(output).toMatch(/\[hubfed\] restarting worker in 1 s \(attempt 1\)/);
      expect(output).not.toContain("[hubfed] stopping…");
      expect(start.exitCode).toBeNull();
    } finally {
      await queue.close();
    }
  }, 720_000);
});
