import type { RegionConfig } from "./schema";

/** A region's hub defaults, as region.yaml states them (regions/schema.ts). */
export type RegionHubDefaults = RegionConfig["hubDefaults"];

/** A region's prices, normalised to integer micros (regions/schema.ts). */
export type RegionPrices = RegionConfig["prices"];

/**
 * The region's JSON columns (Region.prices, Region.hubDefaults), typed by the
 * schema that validated them before sync wrote them.
 */
export function regionSettingsOf(region: { prices: unknown; hubDefaults: unknown }): {
  prices: RegionPrices;
  defaults: RegionHubDefaults;
} {
  return {
    prices: region.prices as RegionPrices,
    defaults: region.hubDefaults as RegionHubDefaults,
  };
}
