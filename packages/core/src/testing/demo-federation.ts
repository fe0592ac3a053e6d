import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadActor, type Actor } from "@hubfed/auth";
import type { DatabaseClient } from "@hubfed/db";
import { seedDemoData } from "../demo";
import { loadRegionConfigs, syncRegions } from "../regions";

const regionsDirectory = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../regions",
);

/** Syncs the shipped regions and seeds the demo federation into a test database. */
export async function seedDemoFederation(db: DatabaseClient): Promise<void> {
  await syncRegions(db, await loadRegionConfigs(regionsDirectory));
  await seedDemoData(db);
}

/** The actor of a demo user, by email. */
export async function actorFor(db: DatabaseClient, email: string): Promise<Actor> {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  const actor = await loadActor(db, user.id);
  if (!actor) throw new Error(`no actor for ${email}`);
  return actor;
}
