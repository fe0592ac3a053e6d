import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { seedDemoFederation } from "../testing/demo-federation";
import { acquireHubLease } from "./hub-lease";

// One reconcile per hub at a time (SPEC §4), whoever runs it: two jobs of
// one worker process (an approval and the fleet's drift check, found racing
// on `npm start`) exclude each other as two workers do.

const database = useTestDatabase();
let hubId: string;

beforeAll(async () => {
  await seedDemoFederation(database().db);
  hubId = (await database().db.hub.findUniqueOrThrow({ where: { slug: "ccc-cs-120-fa26" } })).id;
});

describe("the hub reconcile lease", () => {
  it("admits one holder at a time, even two jobs of the same worker", async () => {
    const db = database().db;
    const first = await acquireHubLease(db, hubId, "worker-a", 60_000);
    expect(first).toBeDefined();
    expect(await acquireHubLease(db, hubId, "worker-a", 60_000)).toBeUndefined();
    expect(await acquireHubLease(db, hubId, "worker-b", 60_000)).toBeUndefined();
    expect(await first!.renew()).toBe(true);
    await first!.release();
    const next = await acquireHubLease(db, hubId, "worker-a", 60_000);
    expect(next).toBeDefined();
    await next!.release();
  });

  it("is taken over once it expires, and the old holder can no longer renew it", async () => {
    const db = database().db;
    const stale = await acquireHubLease(db, hubId, "worker-a", 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fresh = await acquireHubLease(db, hubId, "worker-a", 60_000);
    expect(fresh).toBeDefined();
    expect(await stale!.renew()).toBe(false);
    // Releasing a lease one no longer holds leaves the new holder's alone.
    await stale!.release();
    expect(await acquireHubLease(db, hubId, "worker-b", 60_000)).toBeUndefined();
    await fresh!.release();
  });

  it("lets exactly one of many concurrent takers in", async () => {
    const db = database().db;
    const leases = await Promise.all(
      Array.from({ length: 8 }, () => acquireHubLease(db, hubId, "worker-a", 60_000)),
    );
    expect(leases.filter(Boolean)).toHaveLength(1);
    await leases.find(Boolean)!.release();
  });
});
