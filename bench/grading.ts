// The deadline rush (issue 14, SPEC §9): a class of students submitting a
// Data 8-style lab within the last minutes before the deadline, graded on
// this machine by the real worker process (grading queue only) through the
// local sandbox, while a separate load generator measures the interact hot
// path of the production portal. Not a test: it prints numbers and writes
// bench/results/grading.json.
//
//   npm run bench:grading
//   BENCH_SUBMISSIONS=300 BENCH_WINDOW_S=600 BENCH_SLOTS=2 BENCH_CONNECTIONS=10 (defaults shown)
//
// Reported: submissions graded per minute (from the first arrival to the
// last grade), queue wait p50/p95 (submitted → a slot started grading it),
// each submission's overhead beyond its notebook's own run (sandbox, account
// switch, kernel start, teardown), and the interact hot path's p99 before
// grading (the anchor, same run) and in slices while grading runs.
import { mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadActor } from "@hubfed/auth/actor";
import { demoAssignment, submitFromPortal } from "@hubfed/core";
import { createDatabaseClient } from "@hubfed/db";
import { createBullMqJobQueues, redisConnectionFromUrl } from "@hubfed/jobs";
import { startProcess, startTestServices, type ManagedProcess } from "@hubfed/stack";
import { prepareDatabase, recreateDatabase, repositoryRoot } from "../scripts/federation";
import {
  enrollBenchStudents,
  loadWithCookies,
  percentile,
  sessionCookieOf,
  startBenchPortal,
  type LoadMeasurement,
} from "./support";

const submissionCount = Number(process.env.BENCH_SUBMISSIONS ?? 300);
const windowSeconds = Number(process.env.BENCH_WINDOW_S ?? 600);
const slots = Number(process.env.BENCH_SLOTS ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const sliceSeconds = 15;
const nextAuthSecret = "bench-secret-bench-secret-bench-secret-02";
const log = (line: string) => console.log(line);

/** A small deterministic generator, so two runs see the same arrivals and answers. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const code = (source: string) => ({
  cell_type: "code",
  metadata: {},
  execution_count: null,
  outputs: [],
  source,
});

/**
 * A student's finished Lab 1 with a Data 8-style table step (numpy over
 * 200 000 rows): right answers, a wrong one, or a cell that raises.
 */
function studentNotebook(variant: "right" | "wrong" | "error", index: number): string {
  const answer = variant === "wrong" ? "86000" : "24 * 60 * 60";
  const double = variant === "error" ? "raise ValueError('not done')" : "return 2 * x";
  return JSON.stringify({
    cells: [
      code("from hubfed_autograder import check, submit"),
      code(
        `import numpy as np\nrng = np.random.default_rng(${index})\nheights = rng.normal(170, 10, 200_000)\ntable = np.column_stack([heights, heights * 0.45])\nmean_ratio = (table[:, 1] / table[:, 0]).mean()`,
      ),
      code(`seconds_in_a_day = ${answer}`),
      code(`def double(x):\n    ${double}`),
    ],
    metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

/** A tenth of the class hands in a cell that raises, a quarter of the rest a wrong answer. */
function variantOf(index: number): "right" | "wrong" | "error" {
  if (index % 10 === 0) return "error";
  return index % 4 === 0 ? "wrong" : "right";
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  log(
    `[bench] ${os.cpus().length} CPUs; ${submissionCount} submissions over ${windowSeconds} s, ${slots} grading slots; interact load ${connections} connections`,
  );
  const services = await startTestServices({
    databaseAdminUrl: process.env.TEST_DATABASE_ADMIN_URL,
    redisUrl: process.env.TEST_REDIS_URL,
  });
  // The sandbox refuses work directories under /tmp (each submission gets a private /tmp).
  const gradingDirectory = path.join(repositoryRoot, ".data", `bench-grading-${process.pid}`);
  await mkdir(gradingDirectory, { recursive: true });
  let portalProcess: ManagedProcess | undefined;
  let workerProcess: ManagedProcess | undefined;
  const redisUrl = `${services.redisUrl}/4`;
  const queues = createBullMqJobQueues(redisConnectionFromUrl(redisUrl));
  try {
    const databaseUrl = await recreateDatabase(services.databaseAdminUrl, "hubfed_bench_grading");
    await prepareDatabase(databaseUrl, log);
    const db = createDatabaseClient({ databaseUrl, maxConnections: 6 });
    const course = await db.course.findUniqueOrThrow({ where: { slug: demoAssignment.course } });
    const deadline = new Date(Date.now() + (windowSeconds + 120) * 1000);
    await db.assignment.update({
      where: { courseId_slug: { courseId: course.id, slug: demoAssignment.slug } },
      data: { dueAt: deadline, attemptsAllowed: null },
    });
    // The redirect only builds the hub's URL; no hub has to run for the portal to answer 302.
    await db.hub.updateMany({
      where: { courseId: course.id },
      data: { status: "READY", url: "http://127.0.0.1:18999/" },
    });
    const students = await enrollBenchStudents(db, {
      courseId: course.id,
      count: submissionCount,
      emailDomain: "cascade.edu",
    });
    const cookies = await Promise.all(
      students.map((student) => sessionCookieOf(student, nextAuthSecret)),
    );

    const portal = await startBenchPortal({ databaseUrl, redisUrl, nextAuthSecret, log });
    portalProcess = portal.process;
    const interactUrl = `${portal.origin}/i/${demoAssignment.code}`;
    const check = await fetch(interactUrl, {
      headers: { cookie: cookies[0]! },
      redirect: "manual",
    });
    if (check.status !== 302)
      throw new Error(`interact answered ${check.status}, not the hub redirect`);
    log(`[bench] interact ${interactUrl} → ${check.headers.get("location")}`);

    workerProcess = startProcess({
      name: "worker",
      command: path.join(repositoryRoot, "node_modules/.bin/tsx"),
      args: ["apps/worker/src/main.ts"],
      cwd: repositoryRoot,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        WORKER_QUEUES: "grading",
        HUBFED_GRADING_SLOTS: String(slots),
        HUBFED_GRADING_DIR: gradingDirectory,
        HUBFED_SECRET_KEY: Buffer.alloc(32, 9).toString("base64"),
        PORTAL_URL: portal.origin,
      },
      output: (line) => {
        if (/error|failed/i.test(line)) log(line);
      },
    });

    // The anchor: the same path, the same load, before any grading.
    await loadWithCookies("warm-up", interactUrl, cookies, { seconds: 5, connections });
    const anchor = await loadWithCookies("interact before grading", interactUrl, cookies, {
      seconds: sliceSeconds,
      connections,
    });
    log(
      `[bench] interact before grading: p99 ${anchor.p99} ms, ${Math.round(anchor.requestsPerSecond)} req/s`,
    );

    // Arrivals: uniform over the window, skewed towards its end (the deadline rush).
    const next = random(14);
    const arrivals = students
      .map((student, index) => ({
        student,
        index,
        atMs: windowSeconds * 1000 * Math.sqrt(next()),
        variant: variantOf(index),
      }))
      .sort((a, b) => a.atMs - b.atMs);
    const started = Date.now();
    let submitted = 0;
    const submitting = (async () => {
      for (const arrival of arrivals) {
        const wait = started + arrival.atMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const actor = await loadActor(db, arrival.student.id);
        if (!actor) throw new Error(`no actor for ${arrival.student.id}`);
        await submitFromPortal(
          db,
          actor,
          {
            courseSlug: course.slug,
            assignmentSlug: demoAssignment.slug,
            notebook: studentNotebook(arrival.variant, arrival.index),
          },
          { queues },
        );
        submitted += 1;
      }
    })();

    const slices: LoadMeasurement[] = [];
    for (;;) {
      const pending = await db.submission.count({
        where: { status: { in: ["QUEUED", "GRADING"] } },
      });
      const elapsed = Math.round((Date.now() - started) / 1000);
      log(`[bench] ${elapsed} s: ${submitted} submitted, ${pending} waiting or grading`);
      if (submitted === submissionCount && pending === 0) break;
      slices.push(
        await loadWithCookies(`interact at ${elapsed} s`, interactUrl, cookies, {
          seconds: sliceSeconds,
          connections,
        }),
      );
    }
    await submitting;
    const loadAfter = os.loadavg();

    const rows = await db.submission.findMany({
      select: {
        status: true,
        submittedAt: true,
        gradedAt: true,
        gradingMillis: true,
        notebookMillis: true,
        score: true,
      },
    });
    const waits = rows
      .map(
        (row) =>
          (row.gradedAt?.getTime() ?? 0) - (row.gradingMillis ?? 0) - row.submittedAt.getTime(),
      )
      .sort((a, b) => a - b);
    const overheads = rows
      .filter((row) => row.notebookMillis !== null && row.gradingMillis !== null)
      .map((row) => (row.gradingMillis ?? 0) - (row.notebookMillis ?? 0))
      .sort((a, b) => a - b);
    const notebooks = rows
      .map((row) => row.notebookMillis)
      .filter((value): value is number => value !== null)
      .sort((a, b) => a - b);
    const firstArrival = Math.min(...rows.map((row) => row.submittedAt.getTime()));
    const lastGrade = Math.max(...rows.map((row) => row.gradedAt?.getTime() ?? 0));
    const minutes = (lastGrade - firstArrival) / 60_000;
    const byStatus: Record<string, number> = {};
    for (const row of rows) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    const sliceP99s = slices.map((slice) => slice.p99).sort((a, b) => a - b);
    const summary = {
      settings: {
        submissions: submissionCount,
        windowSeconds,
        slots,
        interactConnections: connections,
        sliceSeconds,
        cpus: os.cpus().length,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        loadAverageBefore: loadBefore.map((value) => Number(value.toFixed(2))),
        loadAverageAfter: loadAfter.map((value) => Number(value.toFixed(2))),
        node: process.version,
      },
      byStatus,
      submissionsPerMinute: Number((rows.length / minutes).toFixed(1)),
      drainAfterLastArrivalSeconds: Math.round(
        (lastGrade - (started + (arrivals.at(-1)?.atMs ?? 0))) / 1000,
      ),
      queueWaitMs: { p50: percentile(waits, 0.5), p95: percentile(waits, 0.95), max: waits.at(-1) },
      notebookRunMs: { p50: percentile(notebooks, 0.5), p95: percentile(notebooks, 0.95) },
      overheadMs: { p50: percentile(overheads, 0.5), p95: percentile(overheads, 0.95) },
      interact: {
        beforeGrading: {
          p99: anchor.p99,
          p50: anchor.p50,
          requestsPerSecond: Math.round(anchor.requestsPerSecond),
        },
        whileGrading: {
          slices: slices.length,
          p99Median: percentile(sliceP99s, 0.5),
          p99Worst: sliceP99s.at(-1) ?? null,
          requestsPerSecondMedian: percentile(
            slices.map((slice) => slice.requestsPerSecond).sort((a, b) => a - b),
            0.5,
          ),
          non3xxOrErrors: slices.reduce((sum, slice) => sum + slice.errors, 0),
        },
      },
      measuredAt: new Date().toISOString(),
    };
    log(`\n${JSON.stringify(summary, null, 2)}`);
    const { writeFile } = await import("node:fs/promises");
    await mkdir(path.join(repositoryRoot, "bench/results"), { recursive: true });
    await writeFile(
      path.join(repositoryRoot, "bench/results/grading.json"),
      `${JSON.stringify(summary, null, 2)}\n`,
    );
    await db.$disconnect();
  } finally {
    await workerProcess?.stop();
    await portalProcess?.stop();
    await queues.close();
    await services.stop();
    await rm(gradingDirectory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
