import { estimateHubCost, type EstimateInput, type EstimatePricing } from "../pricing/estimate";
import type { HubChange } from "./form";

/**
 * What a change to a running hub adds to its cost, by the same estimate a
 * new request gets: the estimate over the days the change affects, with the
 * change and without it. An image change costs nothing; a later end date
 * costs the extra days at today's settings.
 */
export function estimateChangeCost(
  change: HubChange,
  hub: Omit<EstimateInput, "startDate" | "endDate"> & { courseEndDate: string; today: string },
  pricing: EstimatePricing,
): { extraCents: bigint; fromDate: string; toDate: string } | null {
  const costOver = (startDate: string, endDate: string, overrides: Partial<EstimateInput> = {}) =>
    endDate < startDate
      ? 0n
      : estimateHubCost({ ...hub, startDate, endDate, ...overrides }, pricing).totalCents;
  switch (change.kind) {
    case "image":
      return null;
    // Grading runs in short Jobs on the hub's own nodes, inside its quota: no separate price.
    case "autograder":
      return null;
    case "resources": {
      const changed = {
        memoryGuaranteeMib: change.memoryGuaranteeMib,
        cpuGuaranteeMilli: change.cpuGuaranteeMilli,
      };
      const extra =
        costOver(change.startsOn, change.endsOn, changed) -
        costOver(change.startsOn, change.endsOn);
      return { extraCents: extra, fromDate: change.startsOn, toDate: change.endsOn };
    }
    case "storage": {
      const extra =
        costOver(hub.today, hub.courseEndDate, { storageGib: change.storageGib }) -
        costOver(hub.today, hub.courseEndDate);
      return { extraCents: extra, fromDate: hub.today, toDate: hub.courseEndDate };
    }
    case "end-date": {
      const firstExtraDay = new Date(Date.parse(`${hub.courseEndDate}T00:00:00Z`) + 86_400_000)
        .toISOString()
        .slice(0, 10);
      return {
        extraCents: costOver(firstExtraDay, change.endDate),
        fromDate: firstExtraDay,
        toDate: change.endDate,
      };
    }
  }
}
