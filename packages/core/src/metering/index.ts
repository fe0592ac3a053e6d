export {
  sampleHubUsage,
  postDailyUsage,
  runDailyUsagePosting,
  postingCatchUpDays,
  type DailyUsageReport,
  type PostedHubDay,
  type HubUsageProbe,
  type HubUsageReading,
} from "./metering";
export { priceUsageDay, maximumSampleSpanMs, type UsageSampleForPricing } from "./usage-pricing";
