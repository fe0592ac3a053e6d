import { expect, test } from "@playwright/test";
import { Queue } from "bullmq";
import { parsePrometheusText, sampleValue } from "@hubfed/observability";
import { withDatabase } from "../support/local-hub-course";
import { pageFor } from "../support/sign-in";

// Issue 17, item 8, against the running federation: /metrics on the portal and on the worker
// (behind the run's bearer token), the interact histogram moving with a click on a link, and
// ops retrying a failed job from /ops/jobs.

const metricsToken = process.env.E2E_METRICS_TOKEN ?? "";
const workerUrl = process.env.E2E_WORKER_URL ?? "";
const authorization = { authorization: `Bearer ${metricsToken}` };

test("the portal and the worker serve Prometheus metrics to a scrape with the token, and only to it", async ({
  request,
}) => {
  expect(metricsToken, "run through npm test").not.toBe("");
  expect((await request.get("/metrics")).status()).toBe(404);
  expect(
    (await request.get("/metrics", { headers: { authorization: "Bearer wrong" } })).status(),
  ).toBe(404);
  const portal = await request.get("/metrics", { headers: authorization });
  expect(portal.status()).toBe(200);
  expect(portal.headers()["content-type"]).toContain("text/plain");
  const portalSamples = parsePrometheusText(await portal.text());
  expect(
    sampleValue(portalSamples, "hubfed_http_request_duration_seconds_count", { app: "portal" }),
  ).toBeGreaterThan(0);
  expect(sampleValue(portalSamples, "process_cpu_seconds_total")).toBeGreaterThan(0);

  expect((await request.get(`${workerUrl}/metrics`)).status()).toBe(404);
  expect((await request.get(`${workerUrl}/livez`)).status()).toBe(200);
  // The worker's heartbeat runs every 10 s: its duration shows up within a few.
  await expect
    .poll(
      async () => {
        const worker = await request.get(`${workerUrl}/metrics`, { headers: authorization });
        return sampleValue(
          parsePrometheusText(await worker.text()),
          "hubfed_job_duration_seconds_count",
          {
            job: "worker.heartbeat",
            outcome: "completed",
          },
        );
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  const worker = parsePrometheusText(
    await (await request.get(`${workerUrl}/metrics`, { headers: authorization })).text(),
  );
  expect(
    sampleValue(worker, "hubfed_queue_jobs", { queue: "provisioning", state: "waiting" }),
  ).toBeGreaterThanOrEqual(0);
  expect(sampleValue(worker, "hubfed_hubs", { status: "READY" })).toBeGreaterThan(0);
  expect(sampleValue(worker, "hubfed_metrics_source_up", { source: "queues" })).toBe(1);
  expect(sampleValue(worker, "hubfed_metrics_source_up", { source: "hubs" })).toBe(1);
  const ready = await request.get(`${workerUrl}/readyz`);
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toMatchObject({
    isReady: true,
    database: { state: "up" },
    redis: { state: "up" },
  });
});

test("a click on a content link moves the interact histogram", async ({ page, request }) => {
  const clicks = async () =>
    sampleValue(
      parsePrometheusText(await (await request.get("/metrics", { headers: authorization })).text()),
      "hubfed_http_request_duration_seconds_count",
      { route: "/i/:code", method: "GET" },
    ) ?? 0;
  const before = await clicks();
  // The demo's CS 120 link, clicked by a visitor: the router sends them to sign in first.
  await page.goto("/i/cs120week1");
  await expect(page).toHaveURL(/\/signin/);
  await expect.poll(clicks).toBeGreaterThan(before);
});

test("ops see a failed job with its reason on /ops/jobs and retry it, and the retry is audited", async ({
  browser,
}) => {
  const queue = new Queue("system", {
    connection: { url: process.env.E2E_REDIS_URL ?? "" },
    prefix: "hubfed",
  });
  const job = await queue.add("e2e.no-such-job", { from: "observability.spec" }, { attempts: 1 });
  // The run's worker takes it and fails it: nothing handles that name.
  await expect.poll(async () => (await queue.getJob(job.id ?? ""))?.getState()).toBe("failed");

  const student = await pageFor(browser, "student@westvalley.edu");
  await student.goto("/ops/jobs");
  await expect(student.getByText("does not have permission to see background jobs")).toBeVisible();

  const ops = await pageFor(browser, "ops@hubfed.example");
  await ops.goto("/ops");
  await ops.getByRole("link", { name: /Background jobs/ }).click();
  await expect(ops.getByRole("heading", { name: "Background jobs" })).toBeVisible();
  await ops.getByLabel("Queue", { exact: true }).selectOption("system");
  const failed = ops.getByTestId("failed-job").filter({ hasText: `· ${job.id}` });
  await expect(failed).toContainText("e2e.no-such-job");
  await expect(failed).toContainText('No handler for job "e2e.no-such-job" on queue "system"');
  await ops.screenshot({ path: "test-results/ops-jobs.png", fullPage: true });
  const firstFailure = (await queue.getJob(job.id ?? ""))?.finishedOn ?? 0;
  await failed.getByRole("button", { name: "Retry" }).click();
  await expect(ops.getByRole("status")).toContainText(`Put back on the system queue: ${job.id}`);

  const audit = await withDatabase(async (client) =>
    client.query<{ actor: string; details: { name: string } }>(
      `SELECT u.email AS actor, a.details FROM "AuditEvent" a JOIN "User" u ON u.id = a."actorId"
       WHERE a.action = 'job.retry' AND a."subjectId" = $1`,
      [`system/${job.id}`],
    ),
  );
  expect(audit.rows).toEqual([
    { actor: "ops@hubfed.example", details: expect.objectContaining({ name: "e2e.no-such-job" }) },
  ]);
  // Retried, the worker takes it again and, nothing handling it still, fails it again.
  await expect
    .poll(async () => (await queue.getJob(job.id ?? ""))?.finishedOn ?? 0)
    .toBeGreaterThan(firstFailure);
  await expect.poll(async () => (await queue.getJob(job.id ?? ""))?.getState()).toBe("failed");
  await queue.close();
});

test("the hub page shows the hub's own JupyterHub metrics as metering stored them", async ({
  browser,
}) => {
  // Samples as usage sampling writes them from a local hub's /hub/metrics (the scrape itself is
  // tested against a real JupyterHub in packages/runtime-local and packages/core): a morning of
  // spawns, counted since the hub started.
  const hubSlug = await withDatabase(async (client) => {
    const hub = await client.query<{ id: string; slug: string }>(
      `SELECT h.id, h.slug FROM "Hub" h JOIN "Course" c ON c.id = h."courseId" WHERE c.slug = 'ccc-cs-120-fa26'`,
    );
    const { id, slug } = hub.rows[0]!;
    const now = Date.now();
    const samples: Array<[minutesAgo: number, spawns: number, seconds: number, failed: number]> = [
      [190, 4, 18, 0],
      [130, 12, 50, 1],
      [70, 30, 131, 1],
      [10, 33, 146, 2],
    ];
    for (const [minutesAgo, spawns, seconds, failed] of samples)
      await client.query(
        `INSERT INTO "UsageSample" (id, "hubId", "sampledAt", "activeUsers", "runningServers",
           "requestedMemoryMib", "requestedMilliCpu", "storageMib", source,
           "hubActiveUsers24h", "hubSpawnsSucceeded", "hubSpawnSecondsSum", "hubSpawnsFailed")
         VALUES ($1, $2, $3, 5, 5, 2560, 1000, 100, 'hub-api', NULL, $4, $5, $6)`,
        [
          `e2e-hub-metrics-${minutesAgo}-${now}`,
          id,
          new Date(now - minutesAgo * 60_000),
          spawns,
          seconds,
          failed,
        ],
      );
    return slug;
  });
  const ops = await pageFor(browser, "ops@hubfed.example");
  await ops.goto(`/ops/hubs/${hubSlug}`);
  const panel = ops.getByTestId("hub-metrics");
  // 33 − 4 spawns in the window, (146 − 18) / 29 s on average, 2 failed starts.
  await expect(panel).toContainText("Servers started, last 24 h29");
  await expect(panel).toContainText("Average start time4.4 s");
  await expect(panel).toContainText("Failed starts, last 24 h2");
  await expect(panel).toContainText("Active users: not reported by this JupyterHub");
  await expect(panel.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await panel.scrollIntoViewIfNeeded();
  await ops.screenshot({ path: "test-results/hub-metrics.png", fullPage: true });
});
