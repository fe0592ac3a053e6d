// The interact hot path under load, side by side with a real JupyterHub's
// own authenticated /hub/user-redirect/ on the same machine (issue 6, SPEC §9).
// Not a test: it prints numbers.
//
//   flock /tmp/hubfed-heavy.lock npm run bench:interact
//   BENCH_DURATION_S=20 BENCH_CONNECTIONS=100 BENCH_STUDENTS=2000 … (defaults shown)
//
// (a) The production portal (the same server `npm start` runs) answering
//     GET /i/<code> for signed-in, enrolled students: every request carries a
//     different student's next-auth session cookie (JWTs minted with the run's
//     NEXTAUTH_SECRET), so nothing is served from one warm session.
// (b) Debian's JupyterHub (packages/runtime-local), signed-in users asking
//     GET /hub/user-redirect/git-pull?… with their hub session cookies.
// (c) The ceiling: a bare Node `http` server answering 302 (bench/support.ts), in as many
//     processes as the portal runs (one per core by default; HUBFED_PORTAL_PROCESSES=1 for one).
// All answer with a 302, which the load generators do not follow. Each is
// measured twice: by autocannon (JavaScript, in this process) and by wrk
// (Debian's native load generator, its own process: 2 threads), each after a
// warm-up, with the machine's load average before and after. Figures go to
// bench/results/interact.json.
//
//   BENCH_WRK_SECONDS=15 BENCH_WRK_CONNECTIONS=50 (wrk; defaults shown)
//   BENCH_PORTAL_NODE_ARGUMENTS="--cpu-prof --cpu-prof-dir=/tmp/prof" (profile the portal)
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createDatabaseClient } from "@hubfed/db";
import {
  allocateHubPorts,
  localHubOrigin,
  LocalHubSupervisor,
  parseLocalHub,
  writeLocalHubFiles,
} from "@hubfed/runtime-local";
import {
  ensureDebianPackages,
  jupyterHubPackages,
  startTestServices,
  type ManagedProcess,
} from "@hubfed/stack";
import { prepareDatabase, recreateDatabase } from "../scripts/federation";
import {
  enrollBenchStudents,
  loadWithCookies,
  loadWithWrk,
  machineLoad,
  sessionCookieOf,
  startBareRedirectServer,
  startBenchPortal,
  wrkAvailable,
  writeBenchResult,
  type WrkMeasurement,
} from "./support";

const durationSeconds = Number(process.env.BENCH_DURATION_S ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const wrkSeconds = Number(process.env.BENCH_WRK_SECONDS ?? 15);
const wrkConnections = Number(process.env.BENCH_WRK_CONNECTIONS ?? 50);
const studentCount = Number(process.env.BENCH_STUDENTS ?? 2000);
const hubUserCount = Number(process.env.BENCH_HUB_USERS ?? 50);
const nextAuthSecret = "bench-secret-bench-secret-bench-secret-01";
const hubPassword = "bench-password";
const log = (line: string) => console.log(line);
const load = (label: string, url: string, cookies: string[], seconds: number) =>
  loadWithCookies(label, url, cookies, { seconds, connections });

/** Signs users in through the hub's login form; returns each one's session cookies. */
async function signInToHub(origin: string, userNames: string[]): Promise<string[]> {
  const cookies: string[] = [];
  for (const userName of userNames) {
    const response = await fetch(`${origin}/hub/login`, {
      method: "POST",
      body: new URLSearchParams({ username: userName, password: hubPassword }),
      redirect: "manual",
    });
    if (response.status !== 302) throw new Error(`hub login for ${userName}: ${response.status}`);
    cookies.push(
      response.headers
        .getSetCookie()
        .map((cookie) => cookie.split(";")[0])
        .join("; "),
    );
  }
  return cookies;
}

async function main(): Promise<void> {
  log(
    `[bench] ${os.cpus().length} CPUs, ${connections} connections, ${durationSeconds} s per side`,
  );
  // The anchor is Debian's JupyterHub: installed here on a fresh machine, as npm start does.
  ensureDebianPackages(jupyterHubPackages, log);
  const services = await startTestServices({
    databaseAdminUrl: process.env.TEST_DATABASE_ADMIN_URL,
    redisUrl: process.env.TEST_REDIS_URL,
  });
  const workDirectory = await mkdtemp(path.join(os.tmpdir(), "hubfed-bench-interact-"));
  // mkdtemp makes it 0700; the hub's per-student accounts must pass through it to their homes.
  await chmod(workDirectory, 0o755);
  let supervisor: LocalHubSupervisor | undefined;
  let portalProcess: ManagedProcess | undefined;
  let bareProcess: ManagedProcess | undefined;
  try {
    // (b)'s hub first: the portal's hub record points at it.
    const hub = parseLocalHub({
      hubSlug: "bench-hub",
      dataDirectory: path.join(workDirectory, "hub"),
      ports: await allocateHubPorts({ range: { first: 19_000, last: 19_999 }, takenPorts: [] }),
      spec: {
        memoryLimitMib: 1024,
        memoryGuaranteeMib: 256,
        cpuLimitMilli: 1000,
        storageGib: 1,
        cullTimeoutSeconds: 3600,
        cullMaxAgeSeconds: 0,
        startTimeoutSeconds: 60,
        interface: "classic",
      },
      admins: [],
      serviceTokens: { portal: "bench-portal-token-0123456789abcdef" },
      authentication: { kind: "dummy", password: hubPassword },
    });
    await writeLocalHubFiles(hub);
    supervisor = new LocalHubSupervisor({
      hub,
      environment: process.env,
    });
    await supervisor.start();
    const { version } = await supervisor.waitUntilReady({ timeoutMs: 90_000 });
    const hubOrigin = localHubOrigin(hub);
    log(`[bench] JupyterHub ${version} at ${hubOrigin}`);

    const databaseUrl = await recreateDatabase(services.databaseAdminUrl, "hubfed_bench_interact");
    await prepareDatabase(databaseUrl, log);
    const db = createDatabaseClient({ databaseUrl, maxConnections: 4 });
    const course = await db.course.findUniqueOrThrow({
      where: { slug: "wvc-data-101-fa26" },
      include: { hubs: true },
    });
    // On the Portal VM's cluster: the demo places DATA 101 on a simulated cluster, whose hubs
    // the router never launches.
    const localCluster = await db.cluster.findFirstOrThrow({ where: { slug: "local-vm" } });
    await db.hub.update({
      where: { id: course.hubs[0]!.id },
      data: { status: "READY", url: hubOrigin, clusterId: localCluster.id },
    });
    const link = await db.contentLink.create({
      data: {
        courseId: course.id,
        code: "benchlab",
        title: "Bench lab",
        repositoryUrl: "https://github.com/westvalley-data/labs",
        branch: "main",
        path: "lab01/lab01.ipynb",
        interface: "LAB",
        verification: "OK",
      },
    });
    const students = await enrollBenchStudents(db, {
      courseId: course.id,
      count: studentCount,
      emailDomain: "westvalley.edu",
    });
    await db.$disconnect();
    const portalCookies = await Promise.all(
      students.map((student) => sessionCookieOf(student, nextAuthSecret)),
    );

    // The portal alone, as `npm start` runs it (no worker: its health checks
    // and reconciles would reach for this hub's processes mid-measurement).
    const started = await startBenchPortal({
      databaseUrl,
      redisUrl: `${services.redisUrl}/2`,
      nextAuthSecret,
      log,
      nodeArguments: process.env.BENCH_PORTAL_NODE_ARGUMENTS?.split(" ").filter(Boolean),
    });
    portalProcess = started.process;
    const portalOrigin = started.origin;

    // Both answer what they should before anything is measured.
    const portalUrl = `${portalOrigin}/i/${link.code}`;
    const check = await fetch(portalUrl, {
      headers: { cookie: portalCookies[0]! },
      redirect: "manual",
    });
    const location = check.headers.get("location") ?? "";
    if (check.status !== 302 || !location.startsWith(`${hubOrigin}/hub/user-redirect/git-pull?`))
      throw new Error(`portal answered ${check.status} ${location}`);
    const hubCookies = await signInToHub(
      hubOrigin,
      Array.from({ length: hubUserCount }, (_, index) => `student${index}`),
    );
    const hubUrl = new URL(location);
    const hubCheck = await fetch(hubUrl, {
      headers: { cookie: hubCookies[0]! },
      redirect: "manual",
    });
    // JupyterHub 3 sends a user without a running server to /hub/spawn/<name>?next=/user/<name>/…;
    // either way it is the signed-in user's redirect.
    if (hubCheck.status !== 302 || !hubCheck.headers.get("location")?.includes("student0"))
      throw new Error(`hub answered ${hubCheck.status} ${hubCheck.headers.get("location")}`);
    log(`[bench] portal ${portalUrl} → ${location.slice(0, 80)}…`);
    log(`[bench] hub ${hubUrl.pathname} → ${hubCheck.headers.get("location")?.slice(0, 60)}…`);

    // One request at a time first: the plain cost of one redirect, no queueing.
    const sequential = async (label: string, url: string, cookies: string[]) => {
      const latencies: number[] = [];
      for (let index = 0; index < 500; index += 1) {
        const startedAt = performance.now();
        const response = await fetch(url, {
          headers: { cookie: cookies[index % cookies.length]! },
          redirect: "manual",
        });
        await response.arrayBuffer();
        if (response.status !== 302) throw new Error(`${label}: ${response.status}`);
        latencies.push(performance.now() - startedAt);
      }
      latencies.sort((a, b) => a - b);
      const at = (fraction: number) =>
        latencies[Math.floor(latencies.length * fraction)]!.toFixed(1);
      log(`[bench] ${label}, one at a time: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`);
    };
    await sequential("portal /i/<code>", portalUrl, portalCookies);
    await sequential("JupyterHub user-redirect", hubUrl.toString(), hubCookies);

    // The ceiling runs as many processes as the portal does (HUBFED_PORTAL_PROCESSES).
    const bare = await startBareRedirectServer(started.processes);
    bareProcess = bare.process;
    const loadBefore = machineLoad();
    await load("warm-up portal", portalUrl, portalCookies, 5);
    const portal = await load("portal /i/<code>", portalUrl, portalCookies, durationSeconds);
    await load("warm-up hub", hubUrl.toString(), hubCookies, 5);
    const jupyterHub = await load(
      `JupyterHub ${version} /hub/user-redirect/`,
      hubUrl.toString(),
      hubCookies,
      durationSeconds,
    );
    await load("warm-up bare", bare.url, [], 3);
    const bareNode = await load("bare Node http 302", bare.url, [], durationSeconds);
    const loadAfterAutocannon = machineLoad();

    log(`\nautocannon (in this process), ${connections} connections, ${durationSeconds} s each`);
    log("\n| target | requests/s | p50 ms | p99 ms | mean ms | requests | not 302 | errors |");
    log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const row of [portal, jupyterHub, bareNode])
      log(
        `| ${row.label} | ${Math.round(row.requestsPerSecond)} | ${row.p50} | ${row.p99} | ${row.mean.toFixed(1)} | ${row.total} | ${row.non3xx} | ${row.errors} |`,
      );
    log(
      `\nportal / JupyterHub: ${(portal.requestsPerSecond / jupyterHub.requestsPerSecond).toFixed(1)}× the requests per second; portal p99 ${portal.p99} ms (target ≥ 10× and < 25 ms)`,
    );

    // wrk: the portal with one session (as a single signed-in student would) and with every
    // student's session in turn, JupyterHub with its signed-in users, and bare Node.
    const wrk: WrkMeasurement[] = [];
    let loadAfterWrk = loadAfterAutocannon;
    if (wrkAvailable(log)) {
      const measure = async (label: string, url: string, cookies: string[]) => {
        await loadWithWrk(`warm-up ${label}`, url, cookies, {
          seconds: 3,
          connections: wrkConnections,
        });
        const row = await loadWithWrk(label, url, cookies, {
          seconds: wrkSeconds,
          connections: wrkConnections,
        });
        wrk.push(row);
        return row;
      };
      await measure("bare Node http 302", bare.url, []);
      await measure("portal /i/<code>, one session", portalUrl, portalCookies.slice(0, 1));
      await measure(`portal /i/<code>, ${portalCookies.length} sessions`, portalUrl, portalCookies);
      await measure(`JupyterHub ${version} /hub/user-redirect/`, hubUrl.toString(), hubCookies);
      loadAfterWrk = machineLoad();
      log(
        `\nwrk (native, own process), 2 threads, ${wrkConnections} connections, ${wrkSeconds} s each`,
      );
      log(
        "\n| target | sessions | requests/s | p50 ms | p90 ms | p99 ms | max ms | ≥400 | socket errors |",
      );
      log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
      for (const row of wrk)
        log(
          `| ${row.label} | ${row.sessions} | ${row.requestsPerSecond} | ${row.p50} | ${row.p90} | ${row.p99} | ${row.max} | ${row.errorStatuses} | ${row.socketErrors} |`,
        );
      const hubRow = wrk[3]!;
      const bareRow = wrk[0]!;
      for (const row of [wrk[1]!, wrk[2]!])
        log(
          `${row.label}: ${(row.requestsPerSecond / hubRow.requestsPerSecond).toFixed(1)}× JupyterHub, ${(bareRow.requestsPerSecond / row.requestsPerSecond).toFixed(1)}× slower than bare Node, p99 ${row.p99} ms (targets ≥ 10×, ≤ 4×, < 25 ms)`,
        );
    }
    log(`\nPortal processes: ${started.processes} (the bare Node ceiling runs as many)`);
    log(
      `\nLoad average before ${loadBefore.join(" ")}, after autocannon ${loadAfterAutocannon.join(" ")}, after wrk ${loadAfterWrk.join(" ")}`,
    );
    const file = await writeBenchResult("interact", {
      settings: {
        students: studentCount,
        hubUsers: hubUserCount,
        portalProcesses: started.processes,
        autocannon: { connections, seconds: durationSeconds, sessionsRotated: true },
        wrk: { threads: 2, connections: wrkConnections, seconds: wrkSeconds },
        jupyterHub: version,
        loadAverageBefore: loadBefore,
        loadAverageAfterAutocannon: loadAfterAutocannon,
        loadAverageAfterWrk: loadAfterWrk,
      },
      autocannon: [portal, jupyterHub, bareNode],
      wrk,
    });
    log(`Wrote ${file}`);
  } finally {
    await portalProcess?.stop();
    await bareProcess?.stop();
    await supervisor?.stop();
    await services.stop();
    await rm(workDirectory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
