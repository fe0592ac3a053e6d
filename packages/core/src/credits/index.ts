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
export { findLedgerMismatches, type BalanceMismatch } from "./balance-check";
export { forecastBurn, startOfUtcDay, type BurnForecast, type DailyBurn } from "./forecast";
export { postDailyBurn, fundingAccountOf, type PricedDay } from "./burn";
export {
  createCreditPool,
  topUpPool,
  openFundedPool,
  type CreatePoolInput,
  type FundedPoolInput,
} from "./pools";
export { allocateToInstitution, transferBetweenAllocations } from "./allocations";
export { topUpHubAllocation } from "./hub-allocation-top-up";
export { expireCredits } from "./expiry";
export {
  evaluateAllocationAlerts,
  enforceBudgetPolicies,
  evaluatePoolForecasts,
  poolBurnHistory,
  burnedPercent,
  alertThresholdsPercent,
} from "./alerts";
export {
  type HubBudgetSwitch,
  type BudgetedHub,
  type BudgetSuspensionCause,
} from "./hub-budget-switch";
export { describeCourseSpend, describeCredits, type BurnPoint } from "./overview";
export { postHubDay, owedCentsOf, type HubDayOutcome } from "./usage-posting";
export {
  reportMonthlySpend,
  renderSpendCsv,
  spendCsvFor,
  renderSpendText,
  type MonthlySpendReport,
} from "./report";
export { maxAmountCents, parseAmountCents } from "./amount";
