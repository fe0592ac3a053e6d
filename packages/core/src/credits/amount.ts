import { AppError } from "../errors";

/**
 * The one amount type at the edge of the money domain: a positive whole
 * number of cents, at most `maxAmountCents`. Every exported credit function
 * passes what it is given through `parseAmountCents` before anything is
 * read or written, so a string ("100" would concatenate), a fraction, NaN,
 * ±Infinity, an integer a double cannot hold exactly (2^53 + 1), zero or a
 * negative amount is refused with a field-level error and writes nothing.
 */
export const maxAmountCents = 1_000_000_000_000n; // 10 billion in the currency's unit

export function parseAmountCents(value: unknown, field = "amountCents"): bigint {
  const refuse = (message: string): never => {
    throw new AppError("BAD_REQUEST", `The amount ${message}`, { [field]: [message] });
  };
  let cents: bigint;
  if (typeof value === "bigint") cents = value;
  else if (typeof value === "number") {
    if (!Number.isFinite(value)) return refuse("must be a number of cents");
    if (!Number.isInteger(value)) return refuse("must be a whole number of cents");
    if (!Number.isSafeInteger(value)) return refuse("is too large to be exact");
    cents = BigInt(value);
  } else return refuse("must be a whole number of cents");
  if (cents <= 0n) return refuse("must be positive");
  if (cents > maxAmountCents) return refuse(`must be at most ${maxAmountCents} cents`);
  return cents;
}
