-- Database-only: what schema.prisma cannot express (its drift test applies this too).
-- The ledger defends itself, whatever code reaches the database (ADR 0004):
-- a transfer moves a positive amount between two different accounts, and a
-- posted transfer is never changed or removed (corrections are new transfers).

ALTER TABLE "LedgerTransfer"
  ADD CONSTRAINT "LedgerTransfer_amount_is_positive" CHECK ("amountCents" > 0);

ALTER TABLE "LedgerTransfer"
  ADD CONSTRAINT "LedgerTransfer_accounts_differ" CHECK ("debitAccountId" <> "creditAccountId");

CREATE FUNCTION "ledger_transfer_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'LedgerTransfer is append-only: % is refused; post a correcting transfer instead', TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER "LedgerTransfer_append_only"
  BEFORE UPDATE OR DELETE ON "LedgerTransfer"
  FOR EACH ROW EXECUTE FUNCTION "ledger_transfer_refuse_change"();

CREATE TRIGGER "LedgerTransfer_no_truncate"
  BEFORE TRUNCATE ON "LedgerTransfer"
  FOR EACH STATEMENT EXECUTE FUNCTION "ledger_transfer_refuse_change"();
