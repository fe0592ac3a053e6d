import { describe, expect, it } from "vitest";
import { placeholderPodsFor, planCapacity } from "./plan";
import type { ClusterSupply, HubDemand, PlanCapacityInput } from "./plan-types";

// A pool of 32 GiB nodes: 90 % allocatable = floor(32 768 × 0.9) = 29 491 MiB
// a node, so ten nodes give users at most 294 910 MiB.
const cluster: ClusterSupply = {
  clusterId: "cluster-1",
  userPool: { name: "user", memoryMib: 32_768, vcpu: 4, minNodes: 0, maxNodes: 10 },
  leadTimeMinutes: 15,
};

// Mon/Wed 10:00 in Los Angeles, two weeks around the end of daylight saving
// (Sunday 2026-11-01): 10:00 PDT is 17:00Z, 10:00 PST is 18:00Z.
function hub(overrides: Partial<HubDemand> = {}): HubDemand {
  return {
    hubId: "hub-1",
    hubSlug: "cs-120",
    clusterId: "cluster-1",
    timeZone: "America/Los_Angeles",
    startDate: "2026-10-26",
    endDate: "2026-11-04",
    enrollment: 200,
    // Below half of enrollment, so the class-start floor (50 % = 100) applies.
    expectedConcurrentUsers: 60,
    memoryGuaranteeMib: 512,
    meetings: [
      { label: "Lecture", dayOfWeek: 1, startMinute: 600, durationMinutes: 80 },
      { label: "Lecture", dayOfWeek: 3, startMinute: 600, durationMinutes: 80 },
    ],
    importantDates: [],
    capacityWindows: [],
    ...overrides,
  };
}

const utc = (iso: string) => new Date(`${iso}Z`);

function plan(hubs: HubDemand[], overrides: Partial<PlanCapacityInput> = {}) {
  return planCapacity({
    hubs,
    clusters: [cluster],
    from: utc("2026-10-01T00:00"),
    to: utc("2026-12-01T00:00"),
    ...overrides,
  });
}

/** Spans as [from, to, seats] in UTC, for compact comparison. */
function spansOf(result: ReturnType<typeof planCapacity>, index = 0) {
  return result.hubs[index]!.spans.map((span) => [
    span.from.toISOString().slice(0, 16),
    span.to.toISOString().slice(0, 16),
    span.seats,
  ]);
}

describe("planCapacity", () => {
  it("raises each meeting one lead time early in the course's zone, across the end of daylight saving", () => {
    // Start − 15 min to start + 15 min; the UTC instants move an hour later on 2 Nov.
    expect(spansOf(plan([hub()]))).toEqual([
      ["2026-10-26T16:45", "2026-10-26T17:15", 100],
      ["2026-10-28T16:45", "2026-10-28T17:15", 100],
      ["2026-11-02T17:45", "2026-11-02T18:15", 100],
      ["2026-11-04T17:45", "2026-11-04T18:15", 100],
    ]);
  });

  it("uses the stated concurrency when it is above the floor, never more than enrollment", () => {
    const inClass = plan([hub({ expectedConcurrentUsers: 180 })]);
    expect(inClass.hubs[0]!.spans[0]!.seats).toBe(180);
    const overstated = plan([hub({ enrollment: 40, expectedConcurrentUsers: 400 })]);
    expect(overstated.hubs[0]!.spans[0]!.seats).toBe(40);
  });

  it("plans nothing outside the course's dates", () => {
    // Only Mon 2 Nov and Wed 4 Nov fall inside; Wed 28 Oct and Mon 9 Nov do not.
    const result = plan([hub({ startDate: "2026-10-29", endDate: "2026-11-08" })]);
    expect(spansOf(result)).toEqual([
      ["2026-11-02T17:45", "2026-11-02T18:15", 100],
      ["2026-11-04T17:45", "2026-11-04T18:15", 100],
    ]);
  });

  it("clips spans to the planned span", () => {
    const result = plan([hub()], { from: utc("2026-10-26T17:00"), to: utc("2026-10-28T17:05") });
    expect(spansOf(result)).toEqual([
      ["2026-10-26T17:00", "2026-10-26T17:15", 100],
      ["2026-10-28T16:45", "2026-10-28T17:05", 100],
    ]);
    expect(result.clusters[0]!.steps[0]!.from).toEqual(utc("2026-10-26T17:00"));
    expect(result.clusters[0]!.steps.at(-1)!.to).toEqual(utc("2026-10-28T17:05"));
  });

  it("puts everyone on for an exam, and a deadline's headroom is its arrival rate × lead time", () => {
    const result = plan([
      hub({
        meetings: [],
        importantDates: [
          { kind: "EXAM", title: "Midterm", startsAt: utc("2026-10-29T17:00"), endsAt: null },
          // 25 % of 200 = 50 students over the last 240 min; 15 min of that is ceil(3.125) = 4.
          { kind: "DEADLINE", title: "Project 1", startsAt: utc("2026-10-31T06:59"), endsAt: null },
          { kind: "OTHER", title: "Holiday", startsAt: utc("2026-10-30T00:00"), endsAt: null },
        ],
      }),
    ]);
    expect(spansOf(result)).toEqual([
      ["2026-10-29T16:45", "2026-10-29T17:15", 200],
      ["2026-10-31T02:44", "2026-10-31T06:59", 4],
    ]);
  });

  it("lets the larger of an overlapping window and meeting win for its time", () => {
    // The window (50 seats, 10:30–11:00 PDT, raised from 16:15Z) is smaller than
    // the class start (100 seats, 16:45–17:15Z), which wins while it lasts.
    const window = {
      id: "w1",
      startsAt: utc("2026-10-26T16:30"),
      endsAt: utc("2026-10-26T18:00"),
      seats: 50,
      memoryMibPerSeat: 512,
      reason: "lab",
    };
    const result = plan([hub({ capacityWindows: [window] })], {
      to: utc("2026-10-27T00:00"),
    });
    expect(spansOf(result)).toEqual([
      ["2026-10-26T16:15", "2026-10-26T16:45", 50],
      ["2026-10-26T16:45", "2026-10-26T17:15", 100],
      ["2026-10-26T17:15", "2026-10-26T18:00", 50],
    ]);
    expect(result.hubs[0]!.spans.map((span) => span.reason)).toEqual([
      "window: lab",
      "Lecture: class start",
      "window: lab",
    ]);

    // Compared by memory: 60 seats of 2 GiB outweigh 100 seats of 512 MiB.
    const exam = { ...window, seats: 60, memoryMibPerSeat: 2048, reason: "exam" };
    const examResult = plan([hub({ capacityWindows: [exam] })], { to: utc("2026-10-27T00:00") });
    expect(spansOf(examResult)).toEqual([["2026-10-26T16:15", "2026-10-26T18:00", 60]]);
  });

  it("reports a conflict naming both hubs when two classes at one hour outgrow the pool", () => {
    // Each wants 300 × 512 = 153 600 MiB, which fits alone; together 307 200 > 294 910.
    const inClass = { expectedConcurrentUsers: 300, enrollment: 300 };
    const result = plan([
      hub({ ...inClass, hubSlug: "data-8" }),
      hub({ ...inClass, hubId: "hub-2", hubSlug: "cs-61a" }),
    ]);
    const { conflicts, steps } = result.clusters[0]!;
    expect(conflicts).toHaveLength(4);
    expect(conflicts[0]).toEqual({
      clusterId: "cluster-1",
      from: utc("2026-10-26T16:45"),
      to: utc("2026-10-26T17:15"),
      hubSlugs: ["cs-61a", "data-8"],
      wantedMemoryMib: 307_200,
      poolMaxMemoryMib: 294_910,
    });
    // The plan keeps every seat asked for: nothing is truncated to the pool.
    expect(result.hubs.map((plan) => plan.spans[0]!.seats)).toEqual([300, 300]);
    expect(steps.find((step) => step.from.getTime() === conflicts[0]!.from.getTime())).toEqual({
      from: utc("2026-10-26T16:45"),
      to: utc("2026-10-26T17:15"),
      plannedMemoryMib: 307_200,
      poolMaxMemoryMib: 294_910,
    });
  });

  it("reports a pool too small for one hub alone", () => {
    const tiny = { ...cluster, userPool: { ...cluster.userPool, maxNodes: 2 } };
    const result = planCapacity({
      hubs: [hub()],
      clusters: [tiny],
      from: utc("2026-10-26T00:00"),
      to: utc("2026-10-27T00:00"),
    });
    // 100 × 512 = 51 200 MiB against 2 × 29 491 = 58 982 fits; an exam of 200 does not.
    expect(result.clusters[0]!.conflicts).toEqual([]);
    const exam = planCapacity({
      hubs: [
        hub({
          importantDates: [
            { kind: "EXAM", title: "Final", startsAt: utc("2026-10-26T20:00"), endsAt: null },
          ],
        }),
      ],
      clusters: [tiny],
      from: utc("2026-10-26T00:00"),
      to: utc("2026-10-27T00:00"),
    });
    expect(exam.clusters[0]!.conflicts).toEqual([
      {
        clusterId: "cluster-1",
        from: utc("2026-10-26T19:45"),
        to: utc("2026-10-26T20:15"),
        hubSlugs: ["cs-120"],
        wantedMemoryMib: 102_400,
        poolMaxMemoryMib: 58_982,
      },
    ]);
  });

  it("is deterministic and rejects a hub whose cluster has no supply", () => {
    expect(plan([hub()])).toEqual(plan([hub()]));
    expect(() => plan([hub({ clusterId: "elsewhere" })])).toThrow(/no supply/);
  });
});

describe("placeholderPodsFor", () => {
  it("holds seats in node-sized placeholders", () => {
    // 29 491 MiB / 512 MiB = 57 seats a node: 300 seats need 6 placeholders, 57 need 1.
    expect(placeholderPodsFor(300, 512, cluster.userPool)).toBe(6);
    expect(placeholderPodsFor(57, 512, cluster.userPool)).toBe(1);
    expect(placeholderPodsFor(58, 512, cluster.userPool)).toBe(2);
    expect(placeholderPodsFor(0, 512, cluster.userPool)).toBe(0);
    expect(() => placeholderPodsFor(1, 65_536, cluster.userPool)).toThrow(RangeError);
  });
});

describe("standing warm seats (the hub spec's placeholderSeats)", () => {
  it("holds them all the time, and lets a class burst win while it lasts", () => {
    // Monday 26 October 2026: the 10:00 PDT lecture is 17:00Z.
    const result = plan([hub({ baselineSeats: 5 })], {
      from: utc("2026-10-26T00:00"),
      to: utc("2026-10-27T00:00"),
    });
    expect(spansOf(result)).toEqual([
      ["2026-10-26T00:00", "2026-10-26T16:45", 5],
      ["2026-10-26T16:45", "2026-10-26T17:15", 100],
      ["2026-10-26T17:15", "2026-10-27T00:00", 5],
    ]);
  });
});
