import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Actor } from "@hubfed/auth/permissions";
import { loadActor } from "@hubfed/auth/actor";
import type { DatabaseClient } from "@hubfed/db";
import { seedDemoData } from "../demo";
import { loadRegionConfigs, syncRegions } from "../regions";

const regionsDirectory = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../regions",
);

/**
 * Syncs the shipped regions and seeds the demo federation into a test
 * database. The shipped us-west clusters are marked simulated (the demo runs
 * them on the Kubernetes API test server); most tests stand for a federation
 * whose Kubernetes clusters are real, so by default they are made real here.
 * Tests of the simulated label keep them as shipped.
 */
export async function seedDemoFederation(
  db: DatabaseClient,
  { kubernetesClusters = "real" }: { kubernetesClusters?: "real" | "as-shipped" } = {},
): Promise<void> {
  await syncRegions(db, await loadRegionConfigs(regionsDirectory));
  if (kubernetesClusters === "real")
    await db.cluster.updateMany({ where: { runtime: "KUBERNETES" }, data: { isSimulated: false } });
  await seedDemoData(db);
}

/** The actor of a demo user, by email. */
export async function actorFor(db: DatabaseClient, email: string): Promise<Actor> {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  const actor = await loadActor(db, user.id);
  if (!actor) throw new Error(`no actor for ${email}`);
  return actor;
}
