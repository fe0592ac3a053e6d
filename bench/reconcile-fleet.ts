// Reconciling an unchanged fleet of Kubernetes hubs (issue "Provisioning":
// 1 000 hubs against the Kubernetes API test server; the target is zero
// writes and well under a minute). Not a test: it prints numbers.
//
//   npm run bench:reconcile            (HUBS=1000, CONCURRENCY=8 by default)
//   TEST_DATABASE_ADMIN_URL=… npm run bench:reconcile
//
// What the worker does, end to end: every hub goes through `reconcileHub`
// with the real Kubernetes runtime — lease, recorded run and steps, OIDC
// client, objects built and validated against the chart's schema, each
// server-side applied over HTTP with @kubernetes/client-node, prune check,
// readiness read back, conditions — against a throw-away PostgreSQL. The
// test server runs in its own process (packages/kube/src/test-server/main.ts)
// so it does not share the client's event loop; its counters come back over
// the IPC channel. The first pass provisions the fleet; the measured drift
// passes are the periodic drift reconcile and must write nothing.
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { reconcileHub } from "@hubfed/core";
import { createKubernetesRuntime } from "@hubfed/core/runtimes";
import { seedDemoFederation } from "@hubfed/core/testing";
import { createDatabaseClient, type DatabaseClient } from "@hubfed/db";
import { createSecretBox } from "@hubfed/identity/secret-box";
import { countWrites, type RequestCounters } from "@hubfed/kube/test-server";
import { machineLoad, startScratchDatabase, writeBenchResult } from "./support";

const hubCount = Number(process.env.HUBS ?? 1000);
const concurrency = Number(process.env.CONCURRENCY ?? 8);
const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface ServerProcess {
  url: string;
  counters(): Promise<RequestCounters>;
  resetCounters(): Promise<void>;
  stop(): void;
}

/** The Kubernetes API test server in a child process, with the simulated controller marking releases Ready. */
async function startServerProcess(): Promise<ServerProcess> {
  const child: ChildProcess = fork(
    path.join(repositoryRoot, "packages/kube/src/test-server/main.ts"),
    ["--port", "0", "--controller-delay-ms", "5"],
    {
      // BENCH_SERVER_NODE_OPTIONS="--cpu-prof" profiles the server too.
      execArgv: ["--import", "tsx", ...(process.env.BENCH_SERVER_NODE_OPTIONS?.split(" ") ?? [])],
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    },
  );
  const nextMessage = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      child.once("message", (message) => resolve(message as Record<string, unknown>));
      child.once("exit", (code) => reject(new Error(`test server exited (${code})`)));
    });
  const ready = await nextMessage();
  return {
    url: String(ready.url),
    counters: async () => {
      const answer = nextMessage();
      child.send("counters");
      return (await answer).counters as RequestCounters;
    },
    resetCounters: async () => {
      const answer = nextMessage();
      child.send("reset-counters");
      await answer;
    },
    stop: () => child.kill("SIGTERM"),
  };
}

/**
 * Statements sent to PostgreSQL (BEGIN and COMMIT included): every round
 * trip Prisma makes goes through node-postgres's Client#query.
 */
let databaseStatements = 0;
const sendQuery = Object.getOwnPropertyDescriptor(pg.Client.prototype, "query")?.value as (
  ...values: unknown[]
) => unknown;
/** BENCH_STATEMENTS=1 tallies statements by their text, printed after the last pass. */
const statementTally = process.env.BENCH_STATEMENTS ? new Map<string, number>() : undefined;
pg.Client.prototype.query = function (this: pg.Client, ...parameters: unknown[]) {
  databaseStatements += 1;
  if (statementTally) {
    const [query] = parameters;
    const text = typeof query === "string" ? query : String((query as { text?: string }).text);
    const key = text.replace(/\s+/g, " ").slice(0, 160);
    statementTally.set(key, (statementTally.get(key) ?? 0) + 1);
  }
  return sendQuery.apply(this, parameters);
} as typeof pg.Client.prototype.query;

async function createFleet(db: DatabaseClient, apiServerUrl: string): Promise<string[]> {
  await seedDemoFederation(db);
  await db.cluster.updateMany({ where: { region: { slug: "us-west" } }, data: { apiServerUrl } });
  const cluster = await db.cluster.findFirstOrThrow({ where: { slug: "aws-eks-1" } });
  const template = await db.hub.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
  const institution = await db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } });
  const slugs = Array.from(
    { length: hubCount },
    (_, index) => `bench-${String(index).padStart(4, "0")}`,
  );
  await db.course.createMany({
    data: slugs.map((slug) => ({
      slug,
      institutionId: institution.id,
      code: slug.toUpperCase(),
      title: `Benchmark course ${slug}`,
      term: "Fall 2026",
      startDate: new Date("2026-08-24"),
      endDate: new Date("2026-12-11"),
      timezone: "America/Los_Angeles",
      expectedEnrollment: 60,
      expectedConcurrentUsers: 30,
    })),
  });
  const courses = await db.course.findMany({
    where: { slug: { in: slugs } },
    select: { id: true, slug: true },
  });
  // The demo hub's spec with the autograder on (since grading runs in Jobs, 5 objects fewer
  // per hub than the 21 docs/benchmarks.md measured: no grader Deployment, Service, account, role).
  const spec = { ...(template.spec as Record<string, unknown>), autograder: { isEnabled: true } };
  await db.hub.createMany({
    data: courses.map((course) => ({
      slug: course.slug,
      courseId: course.id,
      clusterId: cluster.id,
      spec,
    })),
  });
  const hubs = await db.hub.findMany({
    where: { slug: { in: slugs } },
    select: { id: true },
    orderBy: { slug: "asc" },
  });
  return hubs.map((hub) => hub.id);
}

interface PassResult {
  seconds: number;
  converged: number;
  /** Hubs whose reconcile did not converge, with what it said: a benchmark of a broken run is no figure. */
  failures: Array<{ hubId: string; outcome: string; detail: string }>;
  /** The largest resident set sampled during the pass (every 100 ms), not the process's lifetime peak. */
  peakRssMiB: number;
}

async function reconcileFleet(
  db: DatabaseClient,
  runtime: ReturnType<typeof createKubernetesRuntime>,
  hubIds: string[],
  trigger: "approval" | "drift",
): Promise<PassResult> {
  let next = 0;
  let converged = 0;
  const failures: PassResult["failures"] = [];
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let hubId = hubIds[next++]; hubId !== undefined; hubId = hubIds[next++]) {
        const outcome = await reconcileHub(db, {
          hubId,
          trigger,
          runtimeFor: () => runtime,
          workerId: `bench-${worker}`,
          isLastAttempt: true,
          readyPollMs: 20,
          readyTimeoutMs: 60_000,
        });
        if (outcome.outcome === "converged") converged += 1;
        else failures.push({ hubId, outcome: outcome.outcome, detail: JSON.stringify(outcome) });
      }
    }),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  return { seconds, converged, failures, peakRssMiB: Math.round(peakRss / 1024 / 1024) };
}

/** Every request the API server answered (or refused), whatever its verb. */
function countRequests(counters: RequestCounters): number {
  let total = 0;
  for (const count of Object.values(counters) as number[]) total += count;
  return total;
}

async function main() {
  const scratch = await startScratchDatabase();
  const server = await startServerProcess();
  const db = createDatabaseClient({
    databaseUrl: scratch.database.url,
    maxConnections: concurrency + 4,
  });
  try {
    const hubIds = await createFleet(db, server.url);
    const runtime = createKubernetesRuntime({
      db,
      secretBox: createSecretBox(randomBytes(32).toString("base64")),
      portalUrl: "https://portal.hubfed.example.org",
      ingressControllerNamespace: "ingress-nginx",
    });
    const passes: Array<{ label: string; trigger: "approval" | "drift" }> = [
      { label: "1. provision the fleet", trigger: "approval" },
      // Controllers wrote status after the first apply, so remembered versions of
      // the HelmRelease and the Deployment are one behind: reconcile notes the new ones.
      { label: "2. drift reconcile (first after provisioning)", trigger: "drift" },
      { label: "3. drift reconcile (unchanged fleet)", trigger: "drift" },
    ];
    const rows: string[] = [];
    const figures: Array<Record<string, unknown>> = [];
    const loadBefore = machineLoad();
    let lastCounters: RequestCounters | undefined;
    for (const pass of passes) {
      statementTally?.clear();
      await server.resetCounters();
      const statementsBefore = databaseStatements;
      const loadBeforePass = machineLoad();
      const result = await reconcileFleet(db, runtime, hubIds, pass.trigger);
      const statements = databaseStatements - statementsBefore;
      const counters = await server.counters();
      lastCounters = counters;
      if (result.failures.length > 0) {
        console.error(`${pass.label}: ${result.failures.length} hubs did not converge, e.g.`);
        for (const failure of result.failures.slice(0, 5)) console.error(failure);
        throw new Error(`${pass.label}: ${result.failures.length} of ${hubIds.length} hubs failed`);
      }
      const requests = countRequests(counters);
      // Memory: the pass's own peak (sampled), what is resident and on the heap after it.
      const memory = {
        peakRssMiB: result.peakRssMiB,
        rssAfterMiB: Math.round(process.memoryUsage.rss() / 1024 / 1024),
        heapUsedAfterMiB: Math.round(process.memoryUsage().heapUsed / 1024 / 1024),
      };
      figures.push({
        pass: pass.label,
        converged: result.converged,
        seconds: Math.round(result.seconds * 10) / 10,
        millisecondsPerHub: Math.round(((result.seconds * 1000) / hubIds.length) * 10) / 10,
        statementsPerHub: Math.round((statements / hubIds.length) * 10) / 10,
        kubernetesRequestsPerHub: Math.round((requests / hubIds.length) * 10) / 10,
        kubernetesWrites: countWrites(counters),
        kubernetesCalls: counters,
        ...memory,
        loadAverageBefore: loadBeforePass,
        loadAverageAfter: machineLoad(),
      });
      rows.push(
        `| ${pass.label} | ${result.converged} | ${result.seconds.toFixed(1)} | ${((result.seconds * 1000) / hubIds.length).toFixed(1)} | ${(statements / hubIds.length).toFixed(1)} | ${(requests / hubIds.length).toFixed(1)} | ${counters.patchChanged + counters.patchNoop} (${counters.patchNoop}) | ${countWrites(counters)} | ${counters.get + counters.list + counters.watch} | ${memory.peakRssMiB} | ${memory.heapUsedAfterMiB} |`,
      );
      console.log(rows.at(-1));
      // Written after every pass, so a run cut short (10 000 hubs take a while) keeps what it measured.
      await writeBenchResult(`reconcile-fleet-${hubCount}`, {
        settings: { hubs: hubCount, concurrency, loadAverageBefore: loadBefore },
        isComplete: false,
        passes: figures,
      });
    }
    const ready = await db.hub.count({ where: { id: { in: hubIds }, status: "READY" } });
    console.log(
      `\nReconcile of ${hubCount} Kubernetes hubs through reconcileHub (concurrency ${concurrency}; test server in its own process; ${ready} READY at the end)\n`,
    );
    console.log(
      "| pass | hubs converged | seconds | ms per hub | SQL statements per hub | API requests per hub | applies (no-op) | write calls | reads | peak RSS MiB | heap after MiB |",
    );
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const row of rows) console.log(row);
    console.log(`\nlast pass calls: ${JSON.stringify(lastCounters)}`);
    if (statementTally)
      for (const [text, count] of [...statementTally].sort((a, b) => b[1] - a[1]))
        console.log(`${(count / hubIds.length).toFixed(2)}\t${text}`);
    console.log(`memory and load per pass: ${JSON.stringify(figures)}`);
    const file = await writeBenchResult(`reconcile-fleet-${hubCount}`, {
      settings: { hubs: hubCount, concurrency, loadAverageBefore: loadBefore },
      isComplete: true,
      loadAverageAfter: machineLoad(),
      passes: figures,
      lastPassKubernetesCalls: lastCounters,
    });
    console.log(`Wrote ${file}`);
  } finally {
    server.stop();
    await db.$disconnect();
    await scratch.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
