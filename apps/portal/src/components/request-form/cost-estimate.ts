import { estimateHubCost, type CostEstimate } from "@hubfed/core/estimate";
import type { HubRequestDraft } from "@hubfed/core/request-form";
import { preferredRegionOf, type RequestOptions } from "./request-options";

/**
 * The term's cost as the draft stands, priced for its preferred region and cloud; undefined until
 * the dates, students and resources the estimate needs are filled in (or while they make no sense).
 */
export function estimateOf(
  draft: HubRequestDraft,
  options: RequestOptions | undefined,
): { estimate: CostEstimate; currency: string } | undefined {
  const region = preferredRegionOf(draft, options);
  if (!region) return undefined;
  const pricing =
    (draft.placement?.preferredCloud && region.pricingByCloud[draft.placement.preferredCloud]) ||
    Object.values(region.pricingByCloud)[0];
  const { course, audience, resources, schedule } = draft;
  if (!pricing || !course?.startDate || !course.endDate || course.endDate <= course.startDate)
    return undefined;
  if (
    !audience?.expectedEnrollment ||
    !audience.expectedConcurrentUsers ||
    !resources?.memoryGuaranteeMib ||
    !resources.cpuGuaranteeMilli ||
    !resources.storageGib
  )
    return undefined;
  try {
    const estimate = estimateHubCost(
      {
        startDate: course.startDate,
        endDate: course.endDate,
        meetings: (schedule?.meetings ?? []).filter((meeting) => meeting.durationMinutes > 0),
        expectedEnrollment: audience.expectedEnrollment,
        expectedConcurrentUsers: audience.expectedConcurrentUsers,
        memoryGuaranteeMib: resources.memoryGuaranteeMib,
        cpuGuaranteeMilli: resources.cpuGuaranteeMilli,
        storageGib: resources.storageGib,
      },
      pricing,
    );
    return { estimate, currency: pricing.currency };
  } catch {
    // A draft the estimator cannot price yet shows the "fill in…" hint rather than an error.
    return undefined;
  }
}
