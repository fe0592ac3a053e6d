import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createPortalMetrics, createWorkerMetrics } from "./metrics";

// The Grafana dashboard in charts/ charts only metrics the portal and the worker export, so a
// renamed metric cannot leave a panel silently empty.

const dashboardFile = path.resolve(
  import.meta.dirname,
  "../../../charts/hubfed/dashboards/hubfed.json",
);

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}

async function exportedMetricNames(): Promise<Set<string>> {
  const portal = createPortalMetrics().registry;
  const worker = createWorkerMetrics({
    queueDepths: () => Promise.resolve({}),
    hubsByStatus: () => Promise.resolve({}),
  }).registry;
  const names = new Set<string>();
  for (const registry of [portal, worker])
    for (const metric of await registry.getMetricsAsJSON()) {
      names.add(metric.name);
      if (String(metric.type) === "histogram")
        for (const suffix of ["_bucket", "_count", "_sum"]) names.add(`${metric.name}${suffix}`);
    }
  return names;
}

describe("the Grafana dashboard", () => {
  const dashboard = JSON.parse(readFileSync(dashboardFile, "utf8")) as {
    uid: string;
    panels: Panel[];
  };

  it("charts only metrics the portal and the worker export", async () => {
    const exported = await exportedMetricNames();
    const queried = dashboard.panels
      .flatMap((panel) => panel.targets ?? [])
      .flatMap(({ expr }) => [...expr.matchAll(/\b((?:hubfed|nodejs|process)_[a-z0-9_]+)\b/g)])
      .map(([, name]) => name!);
    expect(queried.length).toBeGreaterThan(10);
    for (const name of queried) expect(exported, name).toContain(name);
  });

  it("has the interact path's latency, job durations and failures, queue depths and hubs by status", () => {
    const expressions = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((t) => t.expr);
    expect(expressions.some((expr) => expr.includes('route="/i/:code"'))).toBe(true);
    for (const metric of [
      "hubfed_job_duration_seconds_bucket",
      "hubfed_job_failures_total",
      "hubfed_queue_jobs",
      "hubfed_hubs",
    ])
      expect(
        expressions.some((expr) => expr.includes(metric)),
        metric,
      ).toBe(true);
    expect(dashboard.uid).toBe("hubfed-overview");
  });
});
