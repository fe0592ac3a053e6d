import { describe, expect, it } from "vitest";
import { clusterPlanTimeline, hubPlanTimeline, plannedSeatsAt } from "./timeline";

const at = (time: string) => new Date(`2026-10-05T${time}:00Z`);
const lecture = {
  from: at("16:45"),
  to: at("17:15"),
  seats: 120,
  memoryMibPerSeat: 1024,
  reason: "lecture",
};

describe("the plan as a chart", () => {
  it("reads the seats planned at an instant, and none outside every span", () => {
    expect(plannedSeatsAt([lecture], at("17:00"))).toBe(120);
    expect(plannedSeatsAt([lecture], at("17:15"))).toBe(0);
    expect(plannedSeatsAt([lecture], at("16:00"))).toBe(0);
  });

  it("keeps a span shorter than a step, and puts the busiest sample of each step beside it", () => {
    const points = hubPlanTimeline(
      [lecture],
      [
        { sampledAt: at("17:05"), activeUsers: 80 },
        { sampledAt: at("17:10"), activeUsers: 95 },
      ],
      { from: at("16:00"), to: at("19:00"), stepMinutes: 60 },
    );
    expect(points).toEqual([
      { at: at("16:00"), plannedSeats: 120, activeUsers: null },
      { at: at("17:00"), plannedSeats: 120, activeUsers: 95 },
      { at: at("18:00"), plannedSeats: 0, activeUsers: null },
    ]);
  });

  it("draws a cluster's planned memory in GiB against its pool's maximum", () => {
    const points = clusterPlanTimeline(
      {
        steps: [
          {
            from: at("16:45"),
            to: at("17:15"),
            plannedMemoryMib: 122_880,
            poolMaxMemoryMib: 589_824,
          },
        ],
      },
      { from: at("16:00"), to: at("18:00"), stepMinutes: 60 },
      589_824,
    );
    expect(points).toEqual([
      { at: at("16:00"), plannedMemoryGib: 120, poolMaxMemoryGib: 576 },
      { at: at("17:00"), plannedMemoryGib: 120, poolMaxMemoryGib: 576 },
    ]);
  });
});
