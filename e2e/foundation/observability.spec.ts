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
  await ops.getByLabel("Queue").selectOption("system");
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
