// The fleet view at federation scale (issue "Operators run the fleet": under
// 300 ms per page with 5 000 hubs). Not a test: it prints numbers and writes
// them to bench/results/fleet-view.json.
//
//   npm run bench:fleet                 (HUBS=5000 by default)
//   npm run bench:fleet -- --http       (also the page over HTTP, production build)
//
// 5 000 hubs in 50 institutions, each with an allocation and its ledger
// account, 35 priced days, 24 usage samples and two conditions (5 % false),
// bulk-loaded with generate_series into a scratch database. Then:
// 1. listFleet (what /ops/hubs and fleet.list call) for the pages ops open:
//    the first page, a deep page, each sort, a search and a health filter;
//    sequential p50/p95/max and the statements sent per call;
// 2. with --http: /ops/hubs itself from the production portal, one ops
//    session, under autocannon (1 connection for latency, 4 for throughput).
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { encode } from "next-auth/jwt";
import pg from "pg";
import { listFleet, type FleetQuery } from "@hubfed/core";
import { seedDemoFederation } from "@hubfed/core/testing";
import { loadActor } from "@hubfed/auth/actor";
import { createDatabaseClient } from "@hubfed/db";
import { repositoryRoot } from "../scripts/federation";
import { percentile, startBenchPortal, startScratchDatabase } from "./support";

const hubCount = Number(process.env.HUBS ?? 5_000);
const samples = Number(process.env.BENCH_SAMPLES ?? 30);
const isHttpRequested = process.argv.includes("--http");

/** Statements sent to PostgreSQL: every round trip goes through Client#query. */
let databaseStatements = 0;
const sendQuery = Object.getOwnPropertyDescriptor(pg.Client.prototype, "query")?.value as (
  ...values: unknown[]
) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...parameters: unknown[]) {
  databaseStatements += 1;
  return sendQuery.apply(this, parameters);
} as typeof pg.Client.prototype.query;

async function bulkLoad(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const clusters = (await client.query<{ id: string }>(`SELECT id FROM "Cluster" ORDER BY slug`))
      .rows;
    const pool = (
      await client.query<{ id: string }>(
        `SELECT id FROM "CreditPool" WHERE currency = 'USD' LIMIT 1`,
      )
    ).rows[0];
    if (!pool || clusters.length === 0) throw new Error("seed the demo federation first");
    const clusterIds = clusters.map((cluster) => cluster.id);
    await client.query("BEGIN");
    await client.query(`
      INSERT INTO "Institution" (id, slug, name, "emailDomains", "updatedAt")
      SELECT 'bench-inst-' || i, 'bench-inst-' || i, 'Bench College ' || i,
             ARRAY['college' || i || '.edu'], now()
      FROM generate_series(0, 49) AS i`);
    await client.query(
      `
      INSERT INTO "Course" (id, slug, "institutionId", code, title, term, "startDate", "endDate",
                            timezone, "expectedEnrollment", "expectedConcurrentUsers", "updatedAt")
      SELECT 'bench-course-' || i, 'bench-' || lpad(i::text, 5, '0'), 'bench-inst-' || (i % 50),
             'BENCH ' || i, 'Benchmark course ' || i, 'Fall 2026', '2026-08-24', '2027-05-20',
             'America/Los_Angeles', 60, 30, now()
      FROM generate_series(0, $1 - 1) AS i`,
      [hubCount],
    );
    // Most hubs ready; some degraded, suspended, failed or provisioning, as a real fleet.
    await client.query(
      `
      INSERT INTO "Hub" (id, slug, "courseId", "clusterId", status, spec, "lastReconciledAt",
                         "lastHealthyAt", "updatedAt")
      SELECT 'bench-hub-' || i, 'bench-' || lpad(i::text, 5, '0'), 'bench-course-' || i,
             ($2::text[])[1 + i % array_length($2::text[], 1)],
             (CASE WHEN i % 40 = 1 THEN 'DEGRADED' WHEN i % 40 = 2 THEN 'SUSPENDED'
                   WHEN i % 40 = 3 THEN 'FAILED' WHEN i % 40 = 4 THEN 'PROVISIONING'
                   ELSE 'READY' END)::"HubStatus",
             '{}'::jsonb, now() - (i % 600) * interval '1 minute', now(), now()
      FROM generate_series(0, $1 - 1) AS i`,
      [hubCount, clusterIds],
    );
    await client.query(
      `
      INSERT INTO "LedgerAccount" (id, code, kind, currency, "postedCreditsCents", "postedDebitsCents")
      SELECT 'bench-account-' || i, 'allocation:bench-' || i, 'ALLOCATION', 'USD',
             500000, (i * 7919) % 500000
      FROM generate_series(0, $1 - 1) AS i`,
      [hubCount],
    );
    await client.query(
      `
      INSERT INTO "Allocation" (id, "poolId", "institutionId", "hubId", name, "budgetCents",
                                "ledgerAccountId")
      SELECT 'bench-allocation-' || i, $2, 'bench-inst-' || (i % 50), 'bench-hub-' || i,
             'Bench allocation ' || i, 500000, 'bench-account-' || i
      FROM generate_series(0, $1 - 1) AS i`,
      [hubCount, pool.id],
    );
    await client.query(
      `
      INSERT INTO "DailyUsageCost" (id, "hubId", day, "nodeMilliHours", "storageMibDays", "costCents")
      SELECT 'bench-cost-' || i || '-' || d, 'bench-hub-' || i, current_date - d,
             1000, 10240, 50 + (i + d) % 400
      FROM generate_series(0, $1 - 1) AS i, generate_series(1, 35) AS d`,
      [hubCount],
    );
    await client.query(
      `
      INSERT INTO "UsageSample" (id, "hubId", "sampledAt", "activeUsers", "runningServers",
                                 "requestedMemoryMib", "requestedMilliCpu", "storageMib", source)
      SELECT 'bench-sample-' || i || '-' || s, 'bench-hub-' || i, now() - s * interval '5 minutes',
             (i + s) % 40, (i + s) % 40, 1024, 500, 10240, 'hub-api'
      FROM generate_series(0, $1 - 1) AS i, generate_series(0, 23) AS s`,
      [hubCount],
    );
    await client.query(
      `
      INSERT INTO "HubCondition" (id, "hubId", type, status, reason)
      SELECT 'bench-condition-' || i || '-' || t, 'bench-hub-' || i, t,
             (CASE WHEN t = 'Ready' AND i % 20 = 5 THEN 'FALSE' ELSE 'TRUE' END)::"ConditionStatus",
             'Bench'
      FROM generate_series(0, $1 - 1) AS i, unnest(ARRAY['Ready', 'WithinBudget']) AS t`,
      [hubCount],
    );
    await client.query("COMMIT");
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

interface QueryMeasurement {
  label: string;
  query: FleetQuery;
  rows: number;
  total: number;
  p50: number;
  p95: number;
  max: number;
  statementsPerCall: number;
}

async function measureQueries(databaseUrl: string, opsUserId: string) {
  const db = createDatabaseClient({ databaseUrl, maxConnections: 4 });
  try {
    const actor = await loadActor(db, opsUserId);
    if (!actor) throw new Error("no ops actor");
    const cases: Array<{ label: string; query: FleetQuery }> = [
      { label: "first page, by course", query: {} },
      { label: "page 150 of 200, by course", query: { page: 150 } },
      { label: "by spend this month, desc", query: { sort: "spentThisMonth", direction: "desc" } },
      { label: "by budget used, desc", query: { sort: "budgetUsed", direction: "desc" } },
      { label: "by active users, desc", query: { sort: "activeUsers", direction: "desc" } },
      { label: "search 'bench-0421'", query: { search: "bench-0421" } },
      { label: "health: needs attention", query: { health: "attention" } },
      { label: "100 rows per page", query: { pageSize: 100 } },
    ];
    const results: QueryMeasurement[] = [];
    for (const { label, query } of cases) {
      for (let warm = 0; warm < 3; warm += 1) await listFleet(db, actor, query);
      const latencies: number[] = [];
      let statements = 0;
      let last = await listFleet(db, actor, query);
      for (let index = 0; index < samples; index += 1) {
        const before = databaseStatements;
        const begin = performance.now();
        last = await listFleet(db, actor, query);
        latencies.push(performance.now() - begin);
        statements += databaseStatements - before;
      }
      latencies.sort((a, b) => a - b);
      const measured = {
        label,
        query,
        rows: last.items.length,
        total: last.total,
        p50: percentile(latencies, 0.5),
        p95: percentile(latencies, 0.95),
        max: latencies.at(-1) ?? 0,
        statementsPerCall: statements / samples,
      };
      results.push(measured);
      console.log(
        `  ${label.padEnd(30)} ${String(measured.rows).padStart(3)} of ${measured.total} rows  p50 ${measured.p50.toFixed(1)} ms  p95 ${measured.p95.toFixed(1)} ms  max ${measured.max.toFixed(1)} ms  ${measured.statementsPerCall} statements`,
      );
    }
    return results;
  } finally {
    await db.$disconnect();
  }
}

async function measureHttp(
  databaseUrl: string,
  redisUrl: string,
  ops: { id: string; email: string },
) {
  const nextAuthSecret = "bench-fleet-secret-0123456789abcdef";
  const portal = await startBenchPortal({
    databaseUrl,
    redisUrl,
    nextAuthSecret,
    log: console.log,
  });
  try {
    const token = await encode({
      token: {
        sub: ops.id,
        email: ops.email,
        userId: ops.id,
        username: "olivia-ops",
        isOperator: true,
      },
      secret: nextAuthSecret,
    });
    const cookie = `next-auth.session-token=${token}`;
    const check = await fetch(`${portal.origin}/ops/hubs`, { headers: { cookie } });
    const body = await check.text();
    if (check.status !== 200 || !body.includes("Showing 1–25 of"))
      throw new Error(`the fleet page did not render for ops (${check.status})`);
    const run = async (connections: number, url: string) => {
      const result = await autocannon({
        url,
        connections,
        duration: 10,
        headers: { cookie },
      });
      return {
        url: url.replace(portal.origin, ""),
        connections,
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
      };
    };
    const results = [];
    for (const [connections, pagePath] of [
      [1, "/ops/hubs"],
      [1, "/ops/hubs?sort=budgetUsed&direction=desc&page=40"],
      [4, "/ops/hubs"],
    ] as const) {
      const measured = await run(connections, `${portal.origin}${pagePath}`);
      results.push(measured);
      console.log(
        `  ${measured.url.padEnd(52)} ${connections} conn  ${measured.requestsPerSecond.toFixed(1)} req/s  p50 ${measured.p50} ms  p99 ${measured.p99} ms  non-2xx ${measured.non2xx}`,
      );
    }
    return results;
  } finally {
    await portal.process.stop();
  }
}

async function main() {
  const scratch = await startScratchDatabase();
  const databaseUrl = scratch.database.url;
  try {
    const db = createDatabaseClient({ databaseUrl });
    await seedDemoFederation(db);
    const ops = await db.user.findUniqueOrThrow({ where: { email: "ops@hubfed.example" } });
    await db.$disconnect();
    const loadStarted = performance.now();
    await bulkLoad(databaseUrl);
    console.log(
      `Bulk load: ${hubCount} hubs in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`,
    );
    const loadBefore = os.loadavg();
    console.log(`listFleet (${samples} sequential calls each):`);
    const queries = await measureQueries(databaseUrl, ops.id);
    const http = isHttpRequested
      ? (console.log("/ops/hubs over HTTP (production build, autocannon 10 s):"),
        await measureHttp(databaseUrl, scratch.services.redisUrl, {
          id: ops.id,
          email: ops.email ?? "",
        }))
      : null;
    const result = {
      benchmark: "fleet-view",
      measuredAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        loadAverageBefore: loadBefore,
        loadAverageAfter: os.loadavg(),
      },
      settings: {
        hubs: hubCount,
        institutions: 50,
        pricedDaysPerHub: 35,
        samplesPerHub: 24,
        sequentialCalls: samples,
        pageSize: 25,
      },
      target: "under 300 ms per page with 5 000 hubs",
      queries,
      http,
    };
    await writeFile(
      path.join(repositoryRoot, "bench/results/fleet-view.json"),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.log("Wrote bench/results/fleet-view.json");
  } finally {
    await scratch.stop();
  }
}

await main();
