import { describe, expect, it } from "vitest";
import { desiredPlaceholdersAt, spanDueAt } from "./apply";
import type { HubCapacityPlan } from "./plan-types";

const at = (time: string) => new Date(`2027-03-09T${time}:00Z`);
const plan: HubCapacityPlan = {
  hubId: "hub-1",
  hubSlug: "data-8",
  clusterId: "cluster-1",
  spans: [
    { from: at("17:00"), to: at("18:00"), seats: 100, memoryMibPerSeat: 1024, reason: "lecture" },
    { from: at("17:30"), to: at("19:00"), seats: 40, memoryMibPerSeat: 4096, reason: "exam" },
  ],
};
const userPool = { name: "user", memoryMib: 32768, vcpu: 4, minNodes: 0, maxNodes: 20 };

describe("spanDueAt", () => {
  it("is due from the lead time before a span until its end, not after", () => {
    expect(spanDueAt(plan, at("16:44"), 15)).toBeUndefined();
    expect(spanDueAt(plan, at("16:45"), 15)?.reason).toBe("lecture");
    expect(spanDueAt(plan, at("18:59"), 15)?.reason).toBe("exam");
    expect(spanDueAt(plan, at("19:00"), 15)).toBeUndefined();
  });

  it("takes the largest of overlapping spans by memory", () => {
    // 100 × 1 GiB against 40 × 4 GiB: the exam holds more.
    expect(spanDueAt(plan, at("17:20"), 15)?.reason).toBe("exam");
  });

  it("reads the spans as they are with no lead time", () => {
    expect(spanDueAt(plan, at("16:59"), 0)).toBeUndefined();
    expect(spanDueAt(plan, at("17:00"), 0)?.reason).toBe("lecture");
  });
});

describe("desiredPlaceholdersAt", () => {
  it("turns the due span into node-sized pods, and nothing into zero", () => {
    expect(desiredPlaceholdersAt(plan, { at: at("17:00"), leadTimeMinutes: 0, userPool })).toEqual({
      hubId: "hub-1",
      pods: 4,
      reason: "100 seat(s) for lecture",
    });
    expect(
      desiredPlaceholdersAt(plan, { at: at("20:00"), leadTimeMinutes: 15, userPool }).pods,
    ).toBe(0);
  });
});
