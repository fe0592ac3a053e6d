import { useCallback, useMemo, useState } from "react";

/**
 * One idempotency key per intended money operation (docs/adr/0008): the same
 * key while the form holds the same values, so a double click or a resubmit
 * after a lost answer is the same operation, which the server runs once and
 * answers with its original result. A new key is drawn when the values
 * change, or once the operation has succeeded (the next submit is a new one).
 */
export function useOperationKey(intent: unknown): { key: string; renew: () => void } {
  const [generation, setGeneration] = useState(0);
  const serialized = JSON.stringify(intent, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  // Recomputed only when the intent or the generation changes: those are the key's identity.
  const key = useMemo(() => crypto.randomUUID(), [serialized, generation]);
  const renew = useCallback(() => setGeneration((current) => current + 1), []);
  return { key, renew };
}
