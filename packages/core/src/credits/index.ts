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
  type Transaction,
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
