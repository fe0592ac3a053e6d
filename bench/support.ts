// What the benchmarks share: their scratch database and how they summarise latencies.
import type { DatabaseClient } from "@hubfed/db";
import { defaultMigrationsDirectory } from "@hubfed/db/migrations";
import {
  createTestDatabase,
  prepareTemplateDatabase,
  type TestDatabase,
} from "@hubfed/db/test-database";
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { encode } from "next-auth/jwt";
import {
  findFreePort,
  startProcess,
  startTestServices,
  waitFor,
  type ManagedProcess,
  type TestServices,
} from "@hubfed/stack";
import { buildPortal, isPortalBuildStale, repositoryRoot } from "../scripts/federation";

/** The value at `fraction` (0.5 = p50) of latencies sorted ascending; 0 when there are none. */
export function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

export interface ScratchDatabase {
  services: TestServices;
  database: TestDatabase;
  /** Drops the scratch database and stops the services this process started. */
  stop(): Promise<void>;
}

/**
 * PostgreSQL and Redis (embedded, or the servers TEST_DATABASE_ADMIN_URL and
 * TEST_REDIS_URL name) with a freshly migrated database to measure in.
 */
export async function startScratchDatabase(): Promise<ScratchDatabase> {
  const services = await startTestServices({
    databaseAdminUrl: process.env.TEST_DATABASE_ADMIN_URL,
    redisUrl: process.env.TEST_REDIS_URL,
  });
  const templateName = `bench_template_${process.pid}`;
  await prepareTemplateDatabase({
    adminUrl: services.databaseAdminUrl,
    templateName,
    migrationsDirectory: defaultMigrationsDirectory,
  });
  const database = await createTestDatabase({ adminUrl: services.databaseAdminUrl, templateName });
  return {
    services,
    database,
    async stop() {
      await database.drop();
      await services.stop();
    },
  };
}

export interface BenchStudent {
  id: string;
  username: string;
  email: string;
  name: string;
}

/** `count` students (bench-student-0 …) enrolled in the course, created in two statements. */
export async function enrollBenchStudents(
  db: DatabaseClient,
  { courseId, count, emailDomain }: { courseId: string; count: number; emailDomain: string },
): Promise<BenchStudent[]> {
  const students = Array.from({ length: count }, (_, index) => ({
    id: `bench-student-${index}`,
    username: `bench-student-${index}`,
    email: `bench-student-${index}@${emailDomain}`,
    name: `Bench Student ${index}`,
  }));
  await db.user.createMany({ data: students });
  await db.enrollment.createMany({
    data: students.map((student) => ({
      userId: student.id,
      courseId,
      role: "STUDENT" as const,
    })),
  });
  return students;
}

/** A signed-in student's next-auth session cookie, minted with the run's secret (no sign-in round trip). */
export async function sessionCookieOf(student: BenchStudent, secret: string): Promise<string> {
  const token = await encode({
    token: {
      sub: student.id,
      name: student.name,
      email: student.email,
      userId: student.id,
      username: student.username,
      isOperator: false,
    },
    secret,
  });
  return `next-auth.session-token=${token}`;
}

export interface LoadMeasurement {
  label: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  mean: number;
  total: number;
  /** Answers that were not the redirect asked for (2xx, 4xx, 5xx). */
  non3xx: number;
  errors: number;
}

/**
 * GET `url` for `seconds` from `connections` connections, each request with
 * the next cookie of `cookies` (so no one warm session answers everything);
 * redirects are not followed.
 */
export async function loadWithCookies(
  label: string,
  url: string,
  cookies: string[],
  { seconds, connections }: { seconds: number; connections: number },
): Promise<LoadMeasurement> {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: "GET",
        setupRequest: (request) => {
          const cookie = cookies[next % cookies.length] ?? "";
          next += 1;
          return { ...request, headers: { ...request.headers, cookie } };
        },
      },
    ],
  });
  const non3xx = result.non2xx - result["3xx"];
  return {
    label,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    total: result.requests.total,
    non3xx: non3xx + result["2xx"],
    errors: result.errors + result.timeouts,
  };
}

/**
 * The production portal (built when stale), started as `npm start` starts
 * it, without the worker; resolves once it answers /api/health.
 */
export async function startBenchPortal({
  databaseUrl,
  redisUrl,
  nextAuthSecret,
  log,
  nodeArguments = [],
}: {
  databaseUrl: string;
  redisUrl: string;
  nextAuthSecret: string;
  log: (line: string) => void;
  /** Node flags for the portal (e.g. --cpu-prof to profile it under load; not allowed in NODE_OPTIONS). */
  nodeArguments?: string[];
}): Promise<{ origin: string; process: ManagedProcess; processes: number }> {
  if (isPortalBuildStale()) {
    log("[bench] building the portal (production mode)…");
    await buildPortal(() => undefined);
  }
  const port = await findFreePort();
  const origin = `http://127.0.0.1:${port}`;
  const portal = startProcess({
    name: "portal",
    // node --import tsx: what node_modules/.bin/tsx runs, with room for Node's own flags.
    command: process.execPath,
    args: [...nodeArguments, "--import", "tsx", "server.ts"],
    cwd: path.join(repositoryRoot, "apps/portal"),
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      NEXTAUTH_URL: origin,
      NEXTAUTH_SECRET: nextAuthSecret,
      PORTAL_URL: origin,
      HUBFED_SECRET_KEY: Buffer.alloc(32, 9).toString("base64"),
      HUBFED_DEV_SIGN_IN: "enabled",
      HUBFED_DEMO: "1",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    output: (line) => {
      if (/error/i.test(line)) log(line);
    },
  });
  await waitFor(
    async () => {
      try {
        await fetch(`${origin}/api/health`);
        return true;
      } catch {
        return false;
      }
    },
    { timeoutMs: 90_000, what: "the portal to answer" },
  );
  // What the portal started with (apps/portal/src/env.ts: HUBFED_PORTAL_PROCESSES, else one per
  // core, at most 4): written beside every figure.
  const processes = Number(process.env.HUBFED_PORTAL_PROCESSES ?? Math.min(os.cpus().length, 4));
  return { origin, process: portal, processes };
}

/**
 * CPU seconds (user + system) a process and its descendants (the portal's worker processes) have
 * used so far, from /proc/<pid>/stat. Taken before and after a measured row, divided by its
 * requests, it gives CPU per request: a figure the machine's load (other processes on the two
 * cores) moves far less than requests per second.
 */
export function processCpuSeconds(pid: number): number {
  const statOf = (id: number | string) => {
    try {
      const stat = readFileSync(`/proc/${id}/stat`, "utf8");
      // Fields after the command name (which may hold spaces), numbered as proc(5) does:
      // ppid is field 4, utime 14 and stime 15 (clock ticks, USER_HZ = 100 on Linux).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return {
        ppid: Number(fields[4 - 3]),
        ticks: Number(fields[14 - 3]) + Number(fields[15 - 3]),
      };
    } catch {
      return undefined; // gone since the directory was listed
    }
  };
  const processes = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => ({ pid: Number(entry), ...statOf(entry) }))
    .filter(
      (entry): entry is { pid: number; ppid: number; ticks: number } => entry.ppid !== undefined,
    );
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const entry of processes)
      if (!tree.has(entry.pid) && tree.has(entry.ppid)) {
        tree.add(entry.pid);
        grew = true;
      }
  }
  const ticks = processes
    .filter((entry) => tree.has(entry.pid))
    .reduce((sum, e) => sum + e.ticks, 0);
  return ticks / 100;
}

/** The 1-, 5- and 15-minute load averages: printed and recorded beside every figure (2 shared cores). */
export function machineLoad(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = os
    .loadavg()
    .map((value) => Math.round(value * 100) / 100);
  return [one, five, fifteen];
}

/**
 * Writes a run's figures to bench/results/<name>.json (with the machine, the Node version and
 * when), so a later run can be compared with this one.
 */
export async function writeBenchResult(
  name: string,
  figures: Record<string, unknown>,
): Promise<string> {
  const file = path.join(repositoryRoot, "bench/results", `${name}.json`);
  const record = {
    benchmark: name,
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    ...figures,
  };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(
    file,
    `${JSON.stringify(record, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2)}\n`,
  );
  return file;
}

export interface WrkMeasurement {
  label: string;
  tool: "wrk";
  threads: number;
  connections: number;
  seconds: number;
  sessions: number;
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  total: number;
  /** Answers of 400 and above (wrk counts 2xx and 3xx alike as answers). */
  errorStatuses: number;
  socketErrors: number;
}

/**
 * wrk (Debian's, a native load generator in its own process, so the load does not share an
 * event loop or a garbage collector with anything measured). Installed with apt-get when
 * missing and we are root; otherwise false, and the wrk rows are skipped with a message.
 */
export function wrkAvailable(log: (line: string) => void): boolean {
  const has = () => spawnSync("wrk", ["--version"]).error === undefined;
  if (has()) return true;
  if (process.getuid?.() === 0) {
    log("[bench] installing wrk (apt-get install -y wrk)…");
    spawnSync("apt-get", ["install", "-y", "-q", "wrk"], { stdio: "ignore" });
    if (has()) return true;
  }
  log("[bench] wrk is not installed and could not be (apt-get install wrk): its rows are skipped");
  return false;
}

// Per request, the next session cookie (when there are several); at the end, the figures as
// one JSON line. Latencies come from wrk in microseconds.
const wrkScript = `
local cookies = {}
local file = os.getenv("WRK_COOKIES")
if file and file ~= "" then for line in io.lines(file) do cookies[#cookies + 1] = line end end
local next = 0
if #cookies > 1 then
  request = function()
    next = next + 1
    return wrk.format("GET", nil, { Cookie = cookies[(next % #cookies) + 1] })
  end
elseif #cookies == 1 then
  wrk.headers["Cookie"] = cookies[1]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"total":%d,"durationUs":%d,"p50":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d,"mean":%f,"status":%d,"socket":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean, e.status,
    e.connect + e.read + e.write + e.timeout))
end
`;

/** GET `url` with wrk (`threads` threads, `connections` connections), rotating over `cookies`. */
export async function loadWithWrk(
  label: string,
  url: string,
  cookies: string[],
  { seconds, connections, threads = 2 }: { seconds: number; connections: number; threads?: number },
): Promise<WrkMeasurement> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "hubfed-wrk-"));
  try {
    const script = path.join(directory, "rotate.lua");
    const cookieFile = path.join(directory, "cookies");
    await writeFile(script, wrkScript);
    await writeFile(cookieFile, cookies.join("\n"));
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        "wrk",
        [
          `-t${threads}`,
          `-c${connections}`,
          `-d${seconds}s`,
          "--timeout",
          "10s",
          "-s",
          script,
          url,
        ],
        { env: { ...process.env, WRK_COOKIES: cookies.length > 0 ? cookieFile : "" } },
      );
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
      child.once("error", reject);
      child.once("exit", () => resolve(text));
    });
    const line = output.split("\n").find((entry) => entry.startsWith("WRK_JSON "));
    if (!line) throw new Error(`wrk gave no figures:\n${output}`);
    const raw = JSON.parse(line.slice("WRK_JSON ".length)) as Record<string, number>;
    const ms = (microseconds: number | undefined) => Math.round((microseconds ?? 0) / 10) / 100;
    return {
      label,
      tool: "wrk",
      threads,
      connections,
      seconds,
      sessions: cookies.length,
      requestsPerSecond: Math.round((raw.total ?? 0) / ((raw.durationUs ?? 1) / 1e6)),
      p50: ms(raw.p50),
      p90: ms(raw.p90),
      p95: ms(raw.p95),
      p99: ms(raw.p99),
      max: ms(raw.max),
      mean: ms(raw.mean),
      total: raw.total ?? 0,
      errorStatuses: raw.status ?? 0,
      socketErrors: raw.socket ?? 0,
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * The ceiling: a bare Node `http` server in its own process answering every request with a 302
 * and the headers the portal's redirect carries — what Node itself costs per redirect here.
 */
export async function startBareRedirectServer(
  /** As many processes as the portal runs (node:cluster when more than one), for a fair ceiling. */
  processes = 1,
): Promise<{ url: string; process: ManagedProcess }> {
  const port = await findFreePort();
  const code = `const cluster = require("node:cluster");
  if (${processes} > 1 && cluster.isPrimary) for (let i = 0; i < ${processes}; i++) cluster.fork();
  else require("node:http").createServer((request, response) => {
    response.writeHead(302, { location: "http://127.0.0.1:1/hub/user-redirect/git-pull?repo=x",
      "cache-control": "no-store", "referrer-policy": "no-referrer", "content-length": "0" });
    response.end();
  }).listen(${port}, "127.0.0.1");`;
  // A file, not `node -e`: cluster workers run the primary's script file again.
  const script = path.join(await mkdtemp(path.join(os.tmpdir(), "hubfed-bare-")), "bare.cjs");
  await writeFile(script, code);
  const bare = startProcess({
    name: "bare-node",
    command: process.execPath,
    args: [script],
    cwd: repositoryRoot,
    env: process.env,
    output: () => undefined,
  });
  const url = `http://127.0.0.1:${port}/i/bare`;
  await waitFor(
    async () => {
      try {
        await fetch(url, { redirect: "manual" });
        return true;
      } catch {
        return false;
      }
    },
    { timeoutMs: 10_000, what: "the bare Node server to answer" },
  );
  return { url, process: bare };
}
