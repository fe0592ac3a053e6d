import { spawn, type ChildProcess } from "node:child_process";
import { get } from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parsePrometheusText } from "@hubfed/observability";
import { workerExecArgv, workerSemiSpaceMiB } from "./processes";

// The portal runs as one worker process per core (processes.ts). Real processes (node:cluster
// under tsx, as npm start runs server.ts): requests spread over the workers, /metrics counts all
// of them whichever worker answers, a worker that dies is replaced, and stopping the portal stops
// every worker.

const fixture = path.join(import.meta.dirname, "testing/processes-fixture.ts");
const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) child.kill("SIGKILL");
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** GET on a fresh connection each time (no keep-alive), so the primary hands out each one. */
function fetchText(port: number, pathName: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get({ host: "127.0.0.1", port, path: pathName, agent: false }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve(body));
    });
    request.on("error", reject);
    // A connection handed to a worker in the moment it dies is never answered: give up on it.
    request.setTimeout(2_000, () => request.destroy(new Error(`no answer to ${pathName}`)));
  });
}

async function startPortalProcesses(environment: Record<string, string> = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", fixture], {
    env: { ...process.env, PORT: String(port), ...environment },
    stdio: ["ignore", "inherit", "inherit"],
  });
  started.push(child);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetchText(port, "/pid");
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { port, child };
}

async function pidsAnswering(port: number, requests: number): Promise<Set<string>> {
  const pids = new Set<string>();
  for (let index = 0; index < requests; index++) pids.add(await fetchText(port, "/pid"));
  return pids;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("a worker's Node flags", () => {
  it("add the young generation's size to the primary's flags, unless the portal was given one", () => {
    expect(workerExecArgv(["--import", "tsx"])).toEqual([
      "--import",
      "tsx",
      `--max-semi-space-size=${workerSemiSpaceMiB}`,
    ]);
    expect(workerExecArgv(["--max-semi-space-size=16"])).toEqual(["--max-semi-space-size=16"]);
  });
});

describe("the portal's processes", () => {
  it("spreads requests over every worker, and /metrics counts all of them, whichever worker answers", async () => {
    const { port } = await startPortalProcesses();
    // Workers come up one after the other; wait until both answer.
    await expect
      .poll(async () => (await pidsAnswering(port, 10)).size, { timeout: 20_000 })
      .toBe(2);
    const before = await requestsCounted(port);
    const pids = await pidsAnswering(port, 40);
    expect(pids.size).toBe(2);
    // Asked three times: each scrape may land on either worker; every one sees the sum.
    for (let scrape = 0; scrape < 3; scrape++)
      expect(await requestsCounted(port)).toBe(before + 40);
    // Every worker runs with the larger young generation (and the primary's own flags).
    for (let ask = 0; ask < 6; ask++)
      expect(await fetchText(port, "/node-flags")).toContain(
        `--max-semi-space-size=${workerSemiSpaceMiB}`,
      );
  });

  it("replaces a worker that dies, and stops every worker when the portal is stopped", async () => {
    const { port, child } = await startPortalProcesses();
    await expect
      .poll(async () => (await pidsAnswering(port, 10)).size, { timeout: 20_000 })
      .toBe(2);
    const dead = await fetchText(port, "/crash");
    await expect
      .poll(
        async () => {
          const pids = await pidsAnswering(port, 10);
          return pids.size === 2 && !pids.has(dead);
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    const workers = [...(await pidsAnswering(port, 20))].map(Number);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const pid of workers) expect(isAlive(pid), `worker ${pid}`).toBe(false);
  });

  it("gives up, and exits with a failure, when workers keep dying", async () => {
    const { port, child } = await startPortalProcesses({ MAX_CRASHES: "2" });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await fetchText(port, "/crash");
    // The primary learns of the first death before the second request reaches a worker.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await fetchText(port, "/crash");
    expect(await exited).toBe(1);
  });
});

async function requestsCounted(port: number): Promise<number> {
  const samples = parsePrometheusText(await fetchText(port, "/metrics"));
  const sample = samples.find((entry) => entry.name === "fixture_requests_total");
  return sample?.value ?? 0;
}
