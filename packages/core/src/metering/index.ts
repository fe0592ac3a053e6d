export {
  sampleHubUsage,
  postDailyUsage,
  runDailyUsagePosting,
  postingCatchUpDays,
  type DailyUsageReport,
  type PostedHubDay,
  type HubOwnMetrics,
  type HubUsageProbe,
  type HubUsageReading,
} from "./metering";
export {
  loadHubMetricsSummary,
  summarizeHubMetrics,
  type HubMetricsSample,
  type HubMetricsSummary,
  type HubSpawnHour,
} from "./hub-metrics";
export { priceUsageDay, maximumSampleSpanMs, type UsageSampleForPricing } from "./usage-pricing";
