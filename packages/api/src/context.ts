import type { Actor } from "@hubfed/auth";
import type {
  HubUserIdentifier,
  LinkRedis,
  LinkVerifier,
  RepositoryMaterialReader,
} from "@hubfed/core";
import type { DatabaseClient } from "@hubfed/db";
import type { SecretBox } from "@hubfed/identity/secret-box";
import type { JobInspector, JobQueues } from "@hubfed/jobs";

/** What every procedure receives. Built per request by the portal's route handler. */
export interface ApiContext {
  db: DatabaseClient;
  /** Where procedures enqueue background work (provisioning after an approval). */
  queues: JobQueues;
  /** What operators see of the queues and may do to them (/ops/jobs). */
  jobInspector: JobInspector;
  /** Seals secrets going in (institution client secrets, hub client secrets, signing keys). */
  secretBox: SecretBox;
  /** Rate limits and the click counters the links list reads. */
  redis: LinkRedis;
  /** Checks content links against GitHub when they are published. */
  verifyLink: LinkVerifier;
  /** Reads an assignment's folder from a course's content repository when it is saved. */
  readRepositoryMaterial: RepositoryMaterialReader;
  /** Asks a hub whose API token a student's server sent (check()/submit(), the assignment fetch). */
  identifyHubUser: HubUserIdentifier;
  /** Undefined when nobody is signed in. */
  actor: Actor | undefined;
  /** Where the request came from, for audit events. */
  requestMetadata: { ipAddress?: string; userAgent?: string };
}
