import { estimateHubCost, idleTailMinutes, type EstimatePricing } from "../pricing/estimate";

/** The one week the estimate is run over: a window is priced as a single weekly meeting in it. */
const oneWeek = { startDate: "2026-01-05", endDate: "2026-01-11" } as const;

/**
 * What a capacity window adds to the bill, by the same estimate a new request
 * gets (pricing/estimate.ts): one week in which the window is the only class
 * meeting, with `seats` students at once at the window's memory per seat,
 * less the same week without it. Background use cancels out, so what is left
 * is the window's seats for its length plus the idle tail the estimate
 * charges after every class, packed onto the cluster's user nodes.
 */
export function estimateWindowCost(
  window: { startsAt: Date; endsAt: Date; seats: number; memoryMibPerSeat: number },
  hub: { expectedEnrollment: number; cpuGuaranteeMilli: number },
  pricing: EstimatePricing,
): { cents: bigint; assumptions: string[] } {
  const minutes = Math.ceil((window.endsAt.getTime() - window.startsAt.getTime()) / 60_000);
  const base = {
    ...oneWeek,
    expectedEnrollment: Math.max(1, hub.expectedEnrollment),
    expectedConcurrentUsers: window.seats,
    memoryGuaranteeMib: window.memoryMibPerSeat,
    cpuGuaranteeMilli: hub.cpuGuaranteeMilli,
    storageGib: 0,
  };
  const withWindow = estimateHubCost(
    { ...base, meetings: [{ durationMinutes: minutes }] },
    pricing,
  );
  const withoutWindow = estimateHubCost({ ...base, meetings: [] }, pricing);
  return {
    cents: withWindow.totalCents - withoutWindow.totalCents,
    assumptions: [
      `${window.seats} seats of ${window.memoryMibPerSeat} MiB for ${minutes} min, plus the ${idleTailMinutes}-min idle tail, priced like a class meeting of a new request.`,
      withWindow.assumptions.find((line) => line.startsWith("Servers run on")) ?? "",
    ].filter(Boolean),
  };
}
