export {
  openLedgerAccount,
  postTransfer,
  postTransferInTransaction,
  placeHold,
  placeHoldInTransaction,
  resolveHold,
  availableCents,
  type HoldResolution,
  type OpenLedgerAccountInput,
  type PlaceHoldInput,
  type PostTransferInput,
  type Transaction,
} from "./ledger";
