-- Database-only: what schema.prisma cannot express (its drift test applies this too).
-- A hold past its expiry reserves nothing any more: it may be voided or
-- expired, never posted (the code refuses it first; this is the last word).

CREATE FUNCTION "ledger_transfer_refuse_posting_expired_hold"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind = 'POST_PENDING' AND EXISTS (
    SELECT 1 FROM "LedgerTransfer" hold
    WHERE hold.id = NEW."pendingTransferId"
      AND hold."expiresAt" IS NOT NULL
      AND hold."expiresAt" <= now()
  ) THEN
    RAISE EXCEPTION 'hold % has expired: it can be voided or expired, not posted', NEW."pendingTransferId"
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "LedgerTransfer_expired_holds_are_not_posted"
  BEFORE INSERT ON "LedgerTransfer"
  FOR EACH ROW EXECUTE FUNCTION "ledger_transfer_refuse_posting_expired_hold"();
