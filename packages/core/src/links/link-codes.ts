import { randomInt } from "node:crypto";

// Lowercase letters and digits without the look-alikes (0/o, 1/l/i), so a
// code read aloud or copied from a slide survives: 31^8 ≈ 8.5 × 10^11 codes.
const codeAlphabet = "23456789abcdefghjkmnpqrstuvwxyz";
export const contentLinkCodeLength = 8;

/** A fresh random short code for /i/<code> (crypto randomness: codes are not guessable from one another). */
export function generateContentLinkCode(): string {
  let code = "";
  for (let index = 0; index < contentLinkCodeLength; index += 1)
    code += codeAlphabet[randomInt(codeAlphabet.length)];
  return code;
}

/**
 * Whether a string could be a content link code at all. The router checks
 * this before touching the database, so junk never costs a query.
 */
export function isContentLinkCodeShaped(value: string): boolean {
  return /^[a-z0-9]{4,32}$/.test(value);
}
