export {
  sampleHubUsage,
  priceAndPostDay,
  type HubUsageProbe,
  type HubUsageReading,
} from "./metering";
export { priceUsageDay, maximumSampleSpanMs, type UsageSampleForPricing } from "./usage-pricing";
