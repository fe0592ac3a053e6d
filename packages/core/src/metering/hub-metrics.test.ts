import { describe, expect, it } from "vitest";
import { summarizeHubMetrics, type HubMetricsSample } from "./hub-metrics";

const now = new Date("2026-10-14T12:30:00Z");
const at = (
  iso: string,
  spawns: number | null,
  seconds: number | null,
  failed = 0,
  active: number | null = null,
): HubMetricsSample => ({
  sampledAt: new Date(iso),
  hubActiveUsers24h: active,
  hubSpawnsSucceeded: spawns,
  hubSpawnSecondsSum: seconds,
  hubSpawnsFailed: spawns === null ? null : failed,
});

describe("a hub's own metrics over the last day", () => {
  it("counts spawns and their average time per hour from the cumulative counters", () => {
    const summary = summarizeHubMetrics(
      [
        at("2026-10-14T10:05:00Z", 10, 40),
        at("2026-10-14T10:35:00Z", 14, 60, 1), // 4 spawns, 20 s: 5 s each; 1 failure
        at("2026-10-14T11:05:00Z", 15, 72, 1), // 1 spawn of 12 s
        at("2026-10-14T12:05:00Z", 15, 72, 1, 37), // none
      ],
      { now },
    );
    expect(summary.spawns).toBe(5);
    expect(summary.failedSpawns).toBe(1);
    expect(summary.averageSpawnSeconds).toBeCloseTo(32 / 5);
    expect(summary.activeUsers24h).toBe(37);
    expect(summary.sampledAt).toEqual(new Date("2026-10-14T12:05:00Z"));
    expect(summary.hours).toHaveLength(24);
    expect(summary.hours.at(-1)?.hourStart).toEqual(new Date("2026-10-14T12:00:00Z"));
    expect(summary.hours.at(-3)).toMatchObject({
      spawns: 4,
      failedSpawns: 1,
      averageSpawnSeconds: 5,
    });
    expect(summary.hours.at(-2)).toMatchObject({ spawns: 1, averageSpawnSeconds: 12 });
    expect(summary.hours.at(-1)).toMatchObject({ spawns: 0, averageSpawnSeconds: null });
  });

  it("reads a drop as a restart of the hub: the counters began again at zero", () => {
    const summary = summarizeHubMetrics(
      [at("2026-10-14T09:05:00Z", 50, 300), at("2026-10-14T09:35:00Z", 2, 9)],
      { now },
    );
    expect(summary.spawns).toBe(2);
    expect(summary.averageSpawnSeconds).toBeCloseTo(4.5);
  });

  it("starts from the sample before the window and ignores samples without the hub's metrics", () => {
    const summary = summarizeHubMetrics(
      [
        at("2026-10-13T11:50:00Z", 3, 30), // before the window: only a starting point
        at("2026-10-13T13:10:00Z", null, null), // the scrape failed
        at("2026-10-13T13:20:00Z", 5, 50),
      ],
      { now },
    );
    expect(summary.spawns).toBe(2);
    expect(summary.hours[0]).toMatchObject({ spawns: 2, averageSpawnSeconds: 10 });
  });

  it("says nothing was scraped rather than zero when no sample carried the hub's metrics", () => {
    const summary = summarizeHubMetrics([at("2026-10-14T10:05:00Z", null, null)], { now });
    expect(summary).toMatchObject({ sampledAt: null, spawns: 0, averageSpawnSeconds: null });
  });
});
