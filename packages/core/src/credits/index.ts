export {
  openLedgerAccount,
  postTransfer,
  postTransferInTransaction,
  placeHold,
  placeHoldInTransaction,
  resolveHold,
  resolveHoldInTransaction,
  findOpenHold,
  availableCents,
  type HoldResolution,
  type ResolveHoldInput,
  type OpenLedgerAccountInput,
  type PlaceHoldInput,
  type PostTransferInput,
} from "./ledger";
export { reconcileLedger, type BalanceMismatch } from "./reconcile";
export {
  priceUsageDay,
  maximumSampleSpanMs,
  type PricedDay,
  type UsageSampleForPricing,
} from "./usage-pricing";
export { forecastBurn, startOfUtcDay, type BurnForecast, type DailyBurn } from "./forecast";
export { postDailyBurn, fundingAccountOf } from "./burn";
export {
  createCreditPool,
  topUpPool,
  allocateToInstitution,
  transferBetweenAllocations,
  topUpHubAllocation,
  expireCredits,
  type CreatePoolInput,
} from "./pools";
export {
  evaluateAllocationAlerts,
  enforceBudgetPolicies,
  evaluatePoolForecasts,
  poolBurnHistory,
  burnedPercent,
  alertThresholdsPercent,
} from "./alerts";
export {
  sampleHubUsage,
  priceAndPostDay,
  type HubUsageProbe,
  type HubUsageReading,
} from "./metering";
export { describeCredits, type BurnPoint } from "./overview";
export {
  reportMonthlySpend,
  renderSpendCsv,
  renderSpendText,
  type MonthlySpendReport,
} from "./report";
export { openFundedPool, type FundedPoolInput } from "./pools";
export { maxAmountCents, parseAmountCents } from "./amount";
