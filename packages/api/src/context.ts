import type { Actor } from "@hubfed/auth";
import type { LinkRedis, LinkVerifier } from "@hubfed/core";
import type { DatabaseClient } from "@hubfed/db";
import type { SecretBox } from "@hubfed/identity/secret-box";
import type { JobQueues } from "@hubfed/jobs";

/** What every procedure receives. Built per request by the portal's route handler. */
export interface ApiContext {
  db: DatabaseClient;
  /** Where procedures enqueue background work (provisioning after an approval). */
  queues: JobQueues;
  /** Seals secrets going in (institution client secrets, hub client secrets, signing keys). */
  secretBox: SecretBox;
  /** Rate limits and the click counters the links list reads. */
  redis: LinkRedis;
  /** Checks content links against GitHub when they are published. */
  verifyLink: LinkVerifier;
  /** Undefined when nobody is signed in. */
  actor: Actor | undefined;
  /** Where the request came from, for audit events. */
  requestMetadata: { ipAddress?: string; userAgent?: string };
}
