import type { DatabaseClient } from "@hubfed/db";

/**
 * Removes the provider's expired artifacts (codes, sessions, interactions, tokens). Lookups
 * already ignore them; this only keeps the table small. The worker runs it every hour.
 */
export async function deleteExpiredOidcArtifacts(db: DatabaseClient, now = new Date()) {
  const { count } = await db.oidcArtifact.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
