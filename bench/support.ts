// What the benchmarks share: their scratch database and how they summarise latencies.
import type { DatabaseClient } from "@hubfed/db";
import { defaultMigrationsDirectory } from "@hubfed/db/migrations";
import {
  createTestDatabase,
  prepareTemplateDatabase,
  type TestDatabase,
} from "@hubfed/db/test-database";
import { mkdir, writeFile } from "node:fs/promises";
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
}: {
  databaseUrl: string;
  redisUrl: string;
  nextAuthSecret: string;
  log: (line: string) => void;
}): Promise<{ origin: string; process: ManagedProcess }> {
  if (isPortalBuildStale()) {
    log("[bench] building the portal (production mode)…");
    await buildPortal(() => undefined);
  }
  const port = await findFreePort();
  const origin = `http://127.0.0.1:${port}`;
  const portal = startProcess({
    name: "portal",
    command: path.join(repositoryRoot, "node_modules/.bin/tsx"),
    args: ["server.ts"],
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
  return { origin, process: portal };
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
