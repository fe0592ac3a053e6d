// My hubs at federation scale (issue 6, SPEC §9): 100 000 students, 2 000
// courses, 20 enrollments per student (2 000 000 enrollments), 2 200 hubs in two
// regions and 10 000 content links, bulk-loaded with generate_series into a
// scratch database. Not a test: it prints numbers.
//
//   flock /tmp/hubfed-heavy.lock npm run bench:my-hubs
//   flock /tmp/hubfed-heavy.lock npm run bench:my-hubs -- --http   (also the page over HTTP)
//
// 1. The query (listMyHubs, what `/` and me.hubs call) for random students:
//    sequential p50/p99, then throughput with 8 concurrent callers.
// 2. With --http: the production build of the portal serving `/` to signed-in
//    students (a different student per connection) under autocannon.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import autocannon from "autocannon";
import { encode } from "next-auth/jwt";
import pg from "pg";
import { listMyHubs } from "@hubfed/core";
import { createDatabaseClient, type DatabaseClient } from "@hubfed/db";
import { prepareDatabase } from "../scripts/federation";
import {
  loadWithWrk,
  machineLoad,
  percentile,
  startBenchPortal,
  startScratchDatabase,
  wrkAvailable,
  processCpuSeconds,
  writeBenchResult,
} from "./support";

const students = 100_000;
const courses = 2_000;
const enrollmentsPerStudent = 20;
const linksPerCourse = 5;
const sequentialSamples = Number(process.env.BENCH_SAMPLES ?? 2_000);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const isHttpRequested = process.argv.includes("--http");
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
/**
 * Every row is measured this many times, the rows interleaved: the same code measured twice on
 * this machine differed by a third in requests per second, so one run proves little. The
 * summary is the median round of each row, with the range beside it.
 */
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const randomStudentId = () => `bench-user-${Math.floor(Math.random() * students)}`;

async function timed(label: string, work: () => Promise<unknown>): Promise<void> {
  const startedAt = performance.now();
  await work();
  console.log(`  ${label}: ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
}

/** The federation at scale, in set-based SQL (seconds, not hours of ORM inserts). */
export async function bulkLoad(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const clusters = (
      await client.query<{ id: string }>(`SELECT id FROM "Cluster" ORDER BY "regionId", slug`)
    ).rows.map((row) => row.id);
    if (clusters.length < 2) throw new Error("the regions must be synced first");
    console.log(`Bulk load (${clusters.length} clusters from regions/):`);
    await timed("50 institutions, 2 000 courses", async () => {
      await client.query(`
        INSERT INTO "Institution" (id, slug, name, "emailDomains", "updatedAt")
        SELECT 'bench-inst-' || i, 'bench-inst-' || i, 'Bench College ' || i,
               ARRAY['college' || i || '.edu'], now()
        FROM generate_series(0, 49) AS i`);
      await client.query(
        `INSERT INTO "Course" (id, "institutionId", slug, code, title, term, "startDate", "endDate",
                               timezone, "expectedEnrollment", "expectedConcurrentUsers",
                               "contentRepositoryAllowList", "updatedAt")
         SELECT 'bench-course-' || c, 'bench-inst-' || (c % 50), 'bench-course-' || c,
                'BENCH ' || c, 'Bench course ' || c, 'Fall 2026',
                date '2026-08-24' + (c % 30), date '2026-12-18', 'UTC', 1000, 500,
                ARRAY['github.com/bench'], now()
         FROM generate_series(0, $1::int - 1) AS c`,
        [courses],
      );
    });
    await timed("2 200 hubs (every tenth course has a second section in another cluster)", () =>
      client.query(
        `INSERT INTO "Hub" (id, slug, "courseId", "clusterId", status, url, spec, weight,
                            "lastActivityAt", "updatedAt")
         SELECT 'bench-hub-' || c || '-' || section, 'bench-course-' || c || '-' || section,
                'bench-course-' || c, ($1::text[])[1 + (c + section) % array_length($1::text[], 1)],
                (CASE WHEN c % 20 = 0 THEN 'PROVISIONING' WHEN c % 33 = 0 THEN 'DEGRADED'
                      ELSE 'READY' END)::"HubStatus",
                'https://bench-course-' || c || '-' || section || '.hubs.example.org',
                '{}'::jsonb, 100, now() - (c % 600) * interval '1 minute', now()
         FROM generate_series(0, $2::int - 1) AS c, generate_series(0, 1) AS section
         WHERE section = 0 OR c % 10 = 0`,
        [clusters, courses],
      ),
    );
    await timed("100 000 students", () =>
      client.query(
        `INSERT INTO "User" (id, username, email, name, "updatedAt")
         SELECT 'bench-user-' || s, 'bench-student-' || s, 'student' || s || '@bench.edu',
                'Student ' || s, now()
         FROM generate_series(0, $1::int - 1) AS s`,
        [students],
      ),
    );
    // People without enrollments: the HTTP baseline (the same page without My hubs).
    await client.query(`
      INSERT INTO "User" (id, username, email, name, "updatedAt")
      SELECT 'bench-plain-' || p, 'bench-plain-' || p, 'plain' || p || '@bench.edu',
             'Plain ' || p, now()
      FROM generate_series(0, 49) AS p`);
    // 101·k mod 2000 differs for k < 20, so each student's 20 courses are distinct.
    await timed("2 000 000 enrollments", () =>
      client.query(
        `INSERT INTO "Enrollment" (id, "userId", "courseId", role, "lastLaunchedAt", "createdAt")
         SELECT 'bench-enr-' || s || '-' || k, 'bench-user-' || s,
                'bench-course-' || ((s * 7919 + k * 101) % $2::int), 'STUDENT',
                CASE WHEN k % 3 = 0 THEN now() - k * interval '1 hour' END, now()
         FROM generate_series(0, $1::int - 1) AS s, generate_series(0, $3::int - 1) AS k`,
        [students, courses, enrollmentsPerStudent],
      ),
    );
    await timed("10 000 content links", () =>
      client.query(
        `INSERT INTO "ContentLink" (id, "courseId", code, title, "repositoryUrl", branch, path,
                                    "createdAt")
         SELECT 'bench-link-' || c || '-' || j, 'bench-course-' || c, 'bl' || c || 'x' || j,
                'Lab ' || j, 'https://github.com/bench/materials', 'main', 'lab' || j || '.ipynb',
                now() - j * interval '1 day'
         FROM generate_series(0, $1::int - 1) AS c, generate_series(0, $2::int - 1) AS j`,
        [courses, linksPerCourse],
      ),
    );
    await timed("ANALYZE", () => client.query("ANALYZE"));
    const counts = await client.query<{ enrollments: string; users: string }>(
      `SELECT (SELECT count(*) FROM "Enrollment") AS enrollments, (SELECT count(*) FROM "User") AS users`,
    );
    console.log(
      `  rows: ${counts.rows[0]?.users} users, ${counts.rows[0]?.enrollments} enrollments`,
    );
  } finally {
    await client.end();
  }
}

async function measureQuery(db: DatabaseClient) {
  for (let index = 0; index < 200; index += 1) await listMyHubs(db, randomStudentId());
  const sample = await listMyHubs(db, "bench-user-4242");
  if (sample.length !== enrollmentsPerStudent)
    throw new Error(`expected ${enrollmentsPerStudent} hubs, got ${sample.length}`);
  const latencies: number[] = [];
  for (let index = 0; index < sequentialSamples; index += 1) {
    const begin = performance.now();
    await listMyHubs(db, randomStudentId());
    latencies.push(performance.now() - begin);
  }
  latencies.sort((a, b) => a - b);

  const concurrent: number[] = [];
  const deadline = Date.now() + durationMs;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (Date.now() < deadline) {
        const begin = performance.now();
        await listMyHubs(db, randomStudentId());
        concurrent.push(performance.now() - begin);
      }
    }),
  );
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  concurrent.sort((a, b) => a - b);
  return {
    sequential: {
      calls: latencies.length,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
    },
    concurrent: {
      calls: concurrent.length,
      perSecond: Math.round(concurrent.length / elapsedSeconds),
      p50: percentile(concurrent, 0.5),
      p99: percentile(concurrent, 0.99),
    },
  };
}

async function explainPlan(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
       SELECT e.role, c.slug, i.name, h.status, r.name
       FROM "Enrollment" e
       JOIN "Course" c ON c.id = e."courseId"
       JOIN "Institution" i ON i.id = c."institutionId"
       LEFT JOIN "Hub" h ON h."courseId" = c.id AND h.status::text NOT IN ('DECOMMISSIONING', 'ARCHIVED')
       LEFT JOIN "Cluster" cl ON cl.id = h."clusterId"
       LEFT JOIN "Region" r ON r.id = cl."regionId"
       WHERE e."userId" = 'bench-user-777'`,
    );
    return result.rows.map((row) => row["QUERY PLAN"]).join("\n");
  } finally {
    await client.end();
  }
}

async function measureHttp(databaseUrl: string, redisUrl: string) {
  const nextAuthSecret = "bench-secret-bench-secret-bench-secret-01";
  // The portal alone, as `npm start` runs it, without the worker (whose reconciles and health
  // checks would share the two cores with the page being measured).
  const portal = await startBenchPortal({
    databaseUrl,
    redisUrl,
    nextAuthSecret,
    log: (line) => console.log(line),
    nodeArguments: process.env.BENCH_PORTAL_NODE_ARGUMENTS?.split(" ").filter(Boolean),
  });
  const origin = portal.origin;
  try {
    // A session cookie per connection, each for another person: the JWT the
    // portal's next-auth would have issued at sign-in.
    const cookieFor = async (userId: string, username: string) =>
      `next-auth.session-token=${await encode({
        secret: nextAuthSecret,
        token: { sub: userId, userId, username, name: username, isOperator: false },
      })}`;
    const studentCookies = await Promise.all(
      Array.from({ length: 50 }, () => {
        const userId = randomStudentId();
        return cookieFor(userId, userId.replace("bench-user-", "bench-student-"));
      }),
    );
    // The baseline: the same page for signed-in people without enrollments
    // (layout, session, notifications; no My hubs).
    const baselineCookies = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        cookieFor(`bench-plain-${index}`, `bench-plain-${index}`),
      ),
    );
    const check = await fetch(`${origin}/`, {
      headers: { cookie: studentCookies[0] ?? "" },
    });
    const body = await check.text();
    if (!check.ok || !body.includes('data-testid="my-hubs"'))
      throw new Error(`the page did not render My hubs (HTTP ${check.status})`);
    console.log(`  one page: ${Math.round(body.length / 1024)} KiB of HTML`);
    // BENCH_PAGE_FILE=/tmp/page.html keeps the page measured, to see what its bytes are.
    if (process.env.BENCH_PAGE_FILE) await writeFile(process.env.BENCH_PAGE_FILE, body);
    // The portal's CPU (primary and workers) per request of a row: steadier than requests per
    // second when other work shares the machine.
    const portalPid = portal.process.child.pid ?? 0;
    const withCpu = async <T extends { requestsPerSecond: number }>(
      seconds: number,
      measure: () => Promise<T>,
    ) => {
      const before = processCpuSeconds(portalPid);
      const row = await measure();
      const requests = row.requestsPerSecond * seconds;
      const cpuMsPerRequest = ((processCpuSeconds(portalPid) - before) * 1000) / requests;
      return { ...row, cpuMsPerRequest: Math.round(cpuMsPerRequest * 100) / 100 };
    };
    const autocannonLoad = async (cookies: string[]) => {
      let connection = 0;
      const result = await autocannon({
        url: `${origin}/`,
        connections,
        duration: durationMs / 1000,
        setupClient: (client) => {
          client.setHeaders({ cookie: cookies[connection++ % cookies.length] ?? "" });
        },
      });
      return {
        tool: "autocannon",
        requestsPerSecond: Math.round(result.requests.average),
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
      };
    };
    const loadBefore = machineLoad();
    // Warm-up: the first renders compile and fill caches.
    await autocannonLoad(studentCookies.slice(0, 5));
    const rows: Array<Record<string, unknown>> = [];
    const seconds = durationMs / 1000;
    const pages = [
      ["students (20 hubs)", studentCookies],
      ["signed in, no enrollments", baselineCookies],
    ] as const;
    const hasWrk = wrkAvailable((line) => console.log(line));
    for (let round = 1; round <= rounds; round++) {
      for (const [who, cookies] of pages)
        rows.push({ round, who, ...(await withCpu(seconds, () => autocannonLoad(cookies))) });
      if (hasWrk)
        for (const [who, cookies] of pages)
          rows.push({
            round,
            who,
            ...(await withCpu(seconds, () =>
              loadWithWrk(who, `${origin}/`, cookies, { seconds, connections }),
            )),
          });
    }
    return { rows, loadBefore, loadAfter: machineLoad(), portalProcesses: portal.processes };
  } finally {
    await portal.process.stop();
  }
}

type HttpRow = Record<string, unknown> & { who: string; tool: string; requestsPerSecond: number };

const inBrackets = (range: number[]) => (range.length > 0 ? `[${range.join("–")}]` : "");

/** Per page and tool: the round with the median requests/s, and each figure's range over rounds. */
function medianRounds(rows: Array<Record<string, unknown>>) {
  const groups = new Map<string, HttpRow[]>();
  for (const row of rows as HttpRow[]) {
    const key = `${row.who}|${row.tool}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
    const median = sorted[Math.floor((sorted.length - 1) / 2)] as HttpRow;
    const range = (field: string) => {
      const values = group
        .map((row) => row[field])
        .filter((v): v is number => typeof v === "number");
      return values.length > 0 ? [Math.min(...values), Math.max(...values)] : [];
    };
    return {
      who: median.who,
      tool: median.tool,
      median,
      range: {
        requestsPerSecond: range("requestsPerSecond"),
        p95: range("p95"),
        p99: range("p99"),
      },
    };
  });
}

async function main() {
  const scratch = await startScratchDatabase();
  const { services, database } = scratch;
  const db = createDatabaseClient({ databaseUrl: database.url, maxConnections: 10 });
  try {
    // Regions and the demo federation, as `npm start` has them; then the bulk.
    await prepareDatabase(database.url, () => undefined);
    await bulkLoad(database.url);
    const query = await measureQuery(db);
    console.log(`\nMy hubs query (listMyHubs: 2 queries per call, 20 hubs and 3 links each)\n`);
    console.log("| measurement | calls | calls/s | p50 ms | p99 ms |");
    console.log("|---|---:|---:|---:|---:|");
    console.log(
      `| sequential, random students | ${query.sequential.calls} | — | ${query.sequential.p50.toFixed(2)} | ${query.sequential.p99.toFixed(2)} |`,
    );
    console.log(
      `| 8 concurrent callers, ${durationMs / 1000} s | ${query.concurrent.calls} | ${query.concurrent.perSecond} | ${query.concurrent.p50.toFixed(2)} | ${query.concurrent.p99.toFixed(2)} |`,
    );
    console.log(
      `\nPlan of the enrollment query for one student:\n${await explainPlan(database.url)}`,
    );
    const http = isHttpRequested
      ? await measureHttp(database.url, `${services.redisUrl}/5`)
      : undefined;
    if (http) {
      console.log(
        `\nGET / over HTTP, production build, ${connections} connections, ${durationMs / 1000} s each\n`,
      );
      console.log(
        "| round | who | tool | requests/s | p50 ms | p90 ms | p95 ms | p99 ms | CPU ms/request | non-2xx | errors |",
      );
      console.log("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (const row of http.rows)
        console.log(
          `| ${String(row.round)} | ${String(row.who)} | ${String(row.tool)} | ${String(row.requestsPerSecond)} | ${String(row.p50)} | ${String(row.p90)} | ${typeof row.p95 === "number" ? row.p95 : "—"} | ${String(row.p99)} | ${String(row.cpuMsPerRequest)} | ${String(row.non2xx ?? row.errorStatuses)} | ${String(row.errors ?? row.socketErrors)} |`,
        );
      console.log(
        `\nMedian of ${rounds} rounds (the round with the median requests/s; range in brackets)\n`,
      );
      console.log("| who | tool | requests/s | p95 ms | p99 ms | CPU ms/request |");
      console.log("|---|---|---:|---:|---:|---:|");
      for (const summary of medianRounds(http.rows))
        console.log(
          `| ${summary.who} | ${summary.tool} | ${summary.median.requestsPerSecond} ${inBrackets(summary.range.requestsPerSecond)} | ${typeof summary.median.p95 === "number" ? `${summary.median.p95} ${inBrackets(summary.range.p95)}` : "—"} | ${String(summary.median.p99)} ${inBrackets(summary.range.p99)} | ${String(summary.median.cpuMsPerRequest)} |`,
        );
      console.log(
        `\nLoad average before ${http.loadBefore.join(" ")}, after ${http.loadAfter.join(" ")}`,
      );
    }
    const file = await writeBenchResult("my-hubs", {
      settings: {
        students,
        courses,
        enrollmentsPerStudent,
        sessions: 50,
        connections,
        portalProcesses: http?.portalProcesses,
        secondsPerRow: durationMs / 1000,
        rounds,
        loadAverageBefore: http?.loadBefore,
        loadAverageAfter: http?.loadAfter,
      },
      query,
      http: http?.rows,
      medians: http ? medianRounds(http.rows) : undefined,
    });
    console.log(`Wrote ${file}`);
  } finally {
    await db.$disconnect();
    await scratch.stop();
  }
}

// Run as a script (npm run bench:my-hubs); imported, it only lends bulkLoad.
if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1]))
  void main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
