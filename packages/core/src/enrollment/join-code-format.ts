import { randomInt } from "node:crypto";

// Join codes are typed by students from a projector or a syllabus, so they use
// an alphabet without look-alikes (no 0/O, 1/I/L) and are shown in two groups
// of five. Ten characters of 31 give 49 bits: guessing a live code among a few
// thousand would take some 10^11 attempts.
const joinCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const joinCodeLength = 10;

export function generateJoinCode(): string {
  let code = "";
  for (let index = 0; index < joinCodeLength; index += 1)
    code += joinCodeAlphabet[randomInt(joinCodeAlphabet.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * The stored form of what someone typed: case, spaces and dashes do not
 * matter ("abcde fghjk" finds "ABCDE-FGHJK"). Undefined when it cannot be a
 * join code at all, so lookups never see arbitrary input.
 */
export function normalizeJoinCode(typed: string): string | undefined {
  const compact = typed.toUpperCase().replace(/[\s-]/g, "");
  if (compact.length !== joinCodeLength) return undefined;
  if (![...compact].every((character) => joinCodeAlphabet.includes(character))) return undefined;
  return `${compact.slice(0, 5)}-${compact.slice(5)}`;
}
