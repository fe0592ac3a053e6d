import { describe, expect, it } from "vitest";
import { capacityEnvelopeOf, envelopeExcessOf } from "./envelope";
import { estimateWindowCost } from "./window-cost";

describe("the approved envelope", () => {
  it("allows 5/4 of the expected concurrency, rounded down, at up to the smallest memory limit", () => {
    const envelope = capacityEnvelopeOf({ expectedConcurrentUsers: 61 }, [
      { memoryLimitMib: 4096 },
      { memoryLimitMib: 2048 },
    ]);
    expect(envelope).toEqual({ maxSeats: 76, maxMemoryMibPerSeat: 2048 });
    expect(envelopeExcessOf({ seats: 76, memoryMibPerSeat: 2048 }, envelope)).toEqual([]);
    expect(envelopeExcessOf({ seats: 77, memoryMibPerSeat: 4096 }, envelope)).toEqual([
      "77 seats is more than the approved 76",
      "4096 MiB per seat is more than the hub's limit of 2048 MiB",
    ]);
  });

  it("sends every window to ops while the course has no live hub", () => {
    const envelope = capacityEnvelopeOf({ expectedConcurrentUsers: 60 }, []);
    expect(envelopeExcessOf({ seats: 1, memoryMibPerSeat: 256 }, envelope)).toEqual([
      "the course has no running hub yet",
    ]);
  });
});

describe("a window's cost", () => {
  it("is the request's estimate of its seat-minutes plus the idle tail", () => {
    // 100 seats × (120 + 60) min = 18,000 seat-minutes; 4 GiB of a 32 GiB node (90 %
    // usable) is a share of 4096/29491.2; at $0.25 an hour that is
    // 18,000 / 60 × 0.25 × 4096 / 29491.2 = $10.4166…, so 1,042 cents give or take one.
    const { cents } = estimateWindowCost(
      {
        startsAt: new Date("2026-10-14T17:00:00Z"),
        endsAt: new Date("2026-10-14T19:00:00Z"),
        seats: 100,
        memoryMibPerSeat: 4096,
      },
      { expectedEnrollment: 300, cpuGuaranteeMilli: 250 },
      {
        currency: "USD",
        userNode: {
          machineType: "m6i.2xlarge",
          vcpu: 4,
          memoryMib: 32_768,
          hourlyPriceMicros: 250_000,
        },
        storagePerGibMonthMicros: 100_000,
      },
    );
    expect(Number(cents)).toBeGreaterThanOrEqual(1041);
    expect(Number(cents)).toBeLessThanOrEqual(1043);
  });
});
