/**
 * The development sign-in: a form that signs someone in by email alone, with no password. It
 * exists for the demo (`npm start`) and the end-to-end tests, and it fails closed: it is on only
 * when the deployment says both that it wants it (HUBFED_DEV_SIGN_IN=enabled) and that it is a
 * demo (HUBFED_DEMO=1). Anything else, unset, misspelled, or NODE_ENV of any kind, leaves it off.
 * When on, it still signs in only the accounts it is given (the seeded demo accounts, plus the
 * ones a test run lists), never any other user, operators included.
 */

export interface DevelopmentSignInEnvironment {
  HUBFED_DEV_SIGN_IN?: string;
  HUBFED_DEMO?: string;
}

export type DevelopmentSignInSetting =
  { enabled: true; reason: string } | { enabled: false; reason: string };

/** Whether the development sign-in is on, and why, for the startup log. */
export function developmentSignInSetting(
  environment: DevelopmentSignInEnvironment,
): DevelopmentSignInSetting {
  const wanted = environment.HUBFED_DEV_SIGN_IN;
  const demo = environment.HUBFED_DEMO;
  if (wanted === undefined || wanted === "" || wanted === "disabled")
    return { enabled: false, reason: "HUBFED_DEV_SIGN_IN is not enabled" };
  if (wanted !== "enabled")
    return {
      enabled: false,
      reason: `HUBFED_DEV_SIGN_IN="${wanted}" is not "enabled"; the development sign-in stays off`,
    };
  if (demo !== "1")
    return {
      enabled: false,
      reason:
        "HUBFED_DEV_SIGN_IN=enabled is ignored without HUBFED_DEMO=1: the development sign-in only runs in a demo",
    };
  return {
    enabled: true,
    reason:
      "the development sign-in is ON (HUBFED_DEV_SIGN_IN=enabled, HUBFED_DEMO=1): anyone can sign in as a demo account without a password",
  };
}

/** The accounts a test run adds to the demo's, from a comma-separated list of emails. */
export function parseDevelopmentSignInAccounts(list: string | undefined): string[] {
  return (list ?? "")
    .split(",")
    .map((email) => email.trim().toLowerCase())
    .filter((email) => email.length > 0);
}

/** The email to look up when `email` may use the development sign-in, else null. */
export function developmentSignInEmail(
  email: string | undefined,
  accounts: readonly string[],
): string | null {
  const normalised = email?.trim().toLowerCase();
  if (!normalised) return null;
  return accounts.some((account) => account.trim().toLowerCase() === normalised)
    ? normalised
    : null;
}
