/**
 * Accounts the journeys sign in as that are not seeded demo accounts. The development sign-in
 * accepts only the demo's accounts and the ones a test run lists (HUBFED_DEV_SIGN_IN_ACCOUNTS),
 * so `npm test` (scripts/run-tests.ts) passes this list to the federation it starts.
 */
export const newStudentEmail = "riley.new@westvalley.edu";

export const endToEndSignInAccounts = [newStudentEmail];
