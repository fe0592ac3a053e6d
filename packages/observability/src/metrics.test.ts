import { describe, expect, it } from "vitest";
import { createWorkerMetrics } from "./metrics";
import { parsePrometheusText, sampleValue } from "./prometheus-text";

/** `name{a="b",…}` read from a scrape, whatever order the labels come in. */
function sampleOf(body: string, sample: string): number | undefined {
  const [, name, labelText] = /^([^{]+)\{(.*)\}$/.exec(sample) ?? [];
  const labels = Object.fromEntries(
    [...(labelText ?? "").matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key!, value!]),
  );
  return sampleValue(parsePrometheusText(body), name ?? sample, labels);
}

describe("the worker's metrics", () => {
  it("reads queue depths and hubs by status when scraped, and says both sources answered", async () => {
    const { registry } = createWorkerMetrics({
      queueDepths: () => Promise.resolve({ provisioning: { waiting: 3, failed: 1 } }),
      hubsByStatus: () => Promise.resolve({ READY: 12, SUSPENDED: 0 }),
    });
    const body = await registry.metrics();
    expect(
      sampleOf(body, 'hubfed_queue_jobs{app="worker",queue="provisioning",state="waiting"}'),
    ).toBe(3);
    expect(
      sampleOf(body, 'hubfed_queue_jobs{app="worker",queue="provisioning",state="failed"}'),
    ).toBe(1);
    expect(sampleOf(body, 'hubfed_hubs{app="worker",status="READY"}')).toBe(12);
    expect(sampleOf(body, 'hubfed_hubs{app="worker",status="SUSPENDED"}')).toBe(0);
    expect(sampleOf(body, 'hubfed_metrics_source_up{app="worker",source="queues"}')).toBe(1);
    expect(sampleOf(body, 'hubfed_metrics_source_up{app="worker",source="hubs"}')).toBe(1);
  });

  it("answers a scrape in bounded time when a source stalls, keeping its last figures and saying it is down", async () => {
    let isStalled = false;
    const { registry } = createWorkerMetrics({
      queueDepths: () =>
        isStalled ? new Promise(() => undefined) : Promise.resolve({ system: { waiting: 2 } }),
      hubsByStatus: () => Promise.reject(new Error("database down")),
      timeoutMs: 100,
    });
    await registry.metrics();
    isStalled = true;
    const startedAt = performance.now();
    const body = await registry.metrics();
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    expect(sampleOf(body, 'hubfed_metrics_source_up{app="worker",source="queues"}')).toBe(0);
    expect(sampleOf(body, 'hubfed_metrics_source_up{app="worker",source="hubs"}')).toBe(0);
    expect(sampleOf(body, 'hubfed_queue_jobs{app="worker",queue="system",state="waiting"}')).toBe(
      2,
    );
  });

  it("counts job durations and failures by queue, job and outcome", async () => {
    const { registry, jobDuration, jobFailures } = createWorkerMetrics({
      queueDepths: () => Promise.resolve({}),
      hubsByStatus: () => Promise.resolve({}),
    });
    jobDuration.observe({ queue: "system", job: "system.heartbeat", outcome: "completed" }, 0.02);
    jobFailures.inc({ queue: "provisioning", job: "hub.provision", outcome: "retrying" });
    const body = await registry.metrics();
    expect(
      sampleOf(
        body,
        'hubfed_job_duration_seconds_count{app="worker",queue="system",job="system.heartbeat",outcome="completed"}',
      ),
    ).toBe(1);
    expect(
      sampleOf(
        body,
        'hubfed_job_failures_total{app="worker",queue="provisioning",job="hub.provision",outcome="retrying"}',
      ),
    ).toBe(1);
  });
});
