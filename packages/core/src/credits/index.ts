export {
  openLedgerAccount,
  postTransfer,
  availableCents,
  type OpenLedgerAccountInput,
  type PostTransferInput,
} from "./ledger";
