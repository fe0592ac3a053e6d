import { describe, expect, it } from "vitest";
import { estimateChangeCost } from "./change-cost";
import { estimateHubCost, type EstimatePricing } from "../pricing/estimate";

const pricing: EstimatePricing = {
  currency: "USD",
  userNode: { machineType: "r5.xlarge", vcpu: 4, memoryMib: 32_768, hourlyPriceMicros: 252_000 },
  storagePerGibMonthMicros: 100_000,
};
const hub = {
  meetings: [{ durationMinutes: 50 }, { durationMinutes: 50 }],
  expectedEnrollment: 120,
  expectedConcurrentUsers: 60,
  memoryGuaranteeMib: 1024,
  // Memory decides the packing here (36 seats a node by CPU, 28 by memory), so memory costs.
  cpuGuaranteeMilli: 100,
  storageGib: 10,
  courseEndDate: "2026-12-18",
  today: "2026-12-05",
};

describe("estimateChangeCost", () => {
  it("prices an exam week's extra memory as the difference over that week", () => {
    const cost = estimateChangeCost(
      {
        kind: "resources",
        memoryGuaranteeMib: 2048,
        memoryLimitMib: 4096,
        cpuGuaranteeMilli: 100,
        cpuLimitMilli: 2000,
        startsOn: "2026-12-14",
        endsOn: "2026-12-18",
      },
      hub,
      pricing,
    );
    const week = (memoryGuaranteeMib: number) =>
      estimateHubCost(
        { ...hub, memoryGuaranteeMib, startDate: "2026-12-14", endDate: "2026-12-18" },
        pricing,
      ).totalCents;
    expect(cost).toEqual({
      extraCents: week(2048) - week(1024),
      fromDate: "2026-12-14",
      toDate: "2026-12-18",
    });
    expect(cost!.extraCents).toBeGreaterThan(0n);
  });

  it("prices a later end date as the extra days, and a new image as nothing", () => {
    const later = estimateChangeCost({ kind: "end-date", endDate: "2027-01-08" }, hub, pricing);
    expect(later?.fromDate).toBe("2026-12-19");
    expect(later?.extraCents).toBe(
      estimateHubCost({ ...hub, startDate: "2026-12-19", endDate: "2027-01-08" }, pricing)
        .totalCents,
    );
    expect(
      estimateChangeCost(
        { kind: "image", image: { kind: "curated", name: "scipy" } },
        hub,
        pricing,
      ),
    ).toBeNull();
  });

  it("prices more storage from today to the course's end", () => {
    const cost = estimateChangeCost({ kind: "storage", storageGib: 20 }, hub, pricing);
    expect(cost?.fromDate).toBe("2026-12-05");
    expect(cost?.extraCents).toBeGreaterThan(0n);
  });
});
