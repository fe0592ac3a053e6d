import type { estimateHubCost } from "@hubfed/core/estimate";
import type { clouds, HubRequestDraft } from "@hubfed/core/request-form";
import type { HubInterface } from "@hubfed/hub-spec";

/** One region a hub can be requested in, as `request.options` describes it to the form. */
export type RequestRegion = {
  slug: string;
  name: string;
  currency: string;
  clouds: Array<(typeof clouds)[number]>;
  images: Array<{ name: string; image: string; description: string }>;
  /** Interfaces no cluster of the region can open, with the reason the form shows. */
  unavailableInterfaces: Partial<Record<HubInterface, string>>;
  defaults: {
    interface: HubInterface;
    memoryGuaranteeMib: number;
    memoryLimitMib: number;
    cpuGuaranteeMilli: number;
    cpuLimitMilli: number;
    storageGib: number;
  };
  pricingByCloud: Record<string, Parameters<typeof estimateHubCost>[1]>;
};

/** What `request.options` returns: the regions, the first being the default. */
export type RequestOptions = RequestRegion[];

/** The region the draft prefers, or the first one while it prefers none (images, clouds and prices come from it). */
export function preferredRegionOf(
  draft: HubRequestDraft,
  options: RequestOptions | undefined,
): RequestRegion | undefined {
  return (
    options?.find((candidate) => candidate.slug === draft.placement?.preferredRegion) ??
    options?.[0]
  );
}
