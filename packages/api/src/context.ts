import type { Actor } from "@hubfed/auth";
import type { DatabaseClient } from "@hubfed/db";
import type { Queues } from "@hubfed/jobs";

/** What every procedure receives. Built per request by the portal's route handler. */
export interface ApiContext {
  db: DatabaseClient;
  /** Where procedures enqueue background work (provisioning after an approval). */
  queues: Queues;
  /** Undefined when nobody is signed in. */
  actor: Actor | undefined;
  /** Where the request came from, for audit events. */
  requestMetadata: { ipAddress?: string; userAgent?: string };
}
