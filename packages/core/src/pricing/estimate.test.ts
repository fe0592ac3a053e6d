import { describe, expect, it } from "vitest";
import { estimateHubCost, type EstimatePricing } from "./estimate";

// us-west's AWS user pool (regions/us-west/region.yaml): r5.xlarge, 4 vCPU,
// 32 GiB, $0.252/h; storage $0.10 per GiB-month.
const usWestAws: EstimatePricing = {
  currency: "USD",
  userNode: { machineType: "r5.xlarge", vcpu: 4, memoryMib: 32_768, hourlyPriceMicros: 252_000 },
  storagePerGibMonthMicros: 100_000,
};

// The seeded demo course, DATA 101 at West Valley College (packages/core/src/demo/seed.ts),
// with us-west's default resources: 1 GiB and 0.25 CPU guaranteed, 10 GiB home.
const data101 = {
  startDate: "2026-08-24",
  endDate: "2026-12-18",
  meetings: [
    { durationMinutes: 50 },
    { durationMinutes: 50 },
    { durationMinutes: 50 },
    { durationMinutes: 110 },
  ],
  expectedEnrollment: 120,
  expectedConcurrentUsers: 60,
  memoryGuaranteeMib: 1024,
  cpuGuaranteeMilli: 250,
  storageGib: 10,
};

describe("estimateHubCost", () => {
  it("matches the hand computation for the seeded demo course", () => {
    // Term: 24 Aug – 18 Dec inclusive = 8 + 30 + 31 + 30 + 18 = 117 days.
    // Class: 60 students × ((50+60) × 3 + (110+60)) min = 60 × 500 = 30 000 server-min/week.
    // Background: 120 students × 2.5 sessions × (40+60) min = 30 000 server-min/week.
    // Packing: 90% of 4 vCPU = 3 600 m / 250 m = 14.4 → CPU-limited (memory would allow 28.8).
    // Compute: 60 000 × 117/7 weeks × (250/3600) node × $0.252/h ÷ 60 = $292.50.
    // Storage: 120 × 10 GiB × $0.10 × 117/30 months = $468.00.
    // Total $760.50; per student per month: 760.50 × 30 / (120 × 117) = $1.625 → $1.63.
    const estimate = estimateHubCost(data101, usWestAws);
    expect(estimate.termDays).toBe(117);
    expect(estimate.weeklySeatMinutes).toBe(60_000);
    expect(estimate.packingLimitedBy).toBe("cpu");
    expect(estimate.seatsPerNode).toBe(14);
    expect(estimate.computeCents).toBe(29_250n);
    expect(estimate.storageCents).toBe(46_800n);
    expect(estimate.totalCents).toBe(76_050n);
    expect(estimate.perStudentMonthCents).toBe(163n);
    expect(estimate.assumptions.join("\n")).toContain("117 days");
    expect(estimate.assumptions.join("\n")).toContain(
      "14 servers fit per node, limited by the CPU guarantee",
    );
  });

  it("is limited by memory when the memory guarantee is the larger share", () => {
    const estimate = estimateHubCost(
      { ...data101, memoryGuaranteeMib: 4096, cpuGuaranteeMilli: 100 },
      usWestAws,
    );
    expect(estimate.packingLimitedBy).toBe("memory");
    expect(estimate.seatsPerNode).toBe(7);
  });

  it("grows with every input that costs money", () => {
    const base = estimateHubCost(data101, usWestAws).totalCents;
    expect(
      estimateHubCost({ ...data101, expectedEnrollment: 240 }, usWestAws).totalCents,
    ).toBeGreaterThan(base);
    expect(
      estimateHubCost({ ...data101, expectedConcurrentUsers: 120 }, usWestAws).totalCents,
    ).toBeGreaterThan(base);
    expect(
      estimateHubCost({ ...data101, cpuGuaranteeMilli: 500 }, usWestAws).totalCents,
    ).toBeGreaterThan(base);
    expect(estimateHubCost({ ...data101, storageGib: 20 }, usWestAws).totalCents).toBeGreaterThan(
      base,
    );
    expect(
      estimateHubCost({ ...data101, endDate: "2027-01-31" }, usWestAws).totalCents,
    ).toBeGreaterThan(base);
  });

  it("refuses a course that ends before it starts", () => {
    expect(() => estimateHubCost({ ...data101, endDate: "2026-08-01" }, usWestAws)).toThrow(
      RangeError,
    );
  });
});
