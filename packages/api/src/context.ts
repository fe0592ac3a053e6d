import type { Actor } from "@hubfed/auth";
import type { DatabaseClient } from "@hubfed/db";

/** What every procedure receives. Built per request by the portal's route handler. */
export interface ApiContext {
  db: DatabaseClient;
  /** Undefined when nobody is signed in. */
  actor: Actor | undefined;
  /** Where the request came from, for audit events. */
  requestMetadata: { ipAddress?: string; userAgent?: string };
}
