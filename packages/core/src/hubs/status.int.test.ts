import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { seedDemoFederation } from "../testing/demo-federation";
import { transitionHub } from "./status";

const database = useTestDatabase();

describe("transitionHub", () => {
  it("refuses a move the lifecycle does not allow, and writes nothing", async () => {
    const { db } = database();
    await seedDemoFederation(db);
    const hub = await db.hub.findFirstOrThrow({ where: { course: { slug: "wvc-data-101-fa26" } } });
    const eventsBefore = await db.auditEvent.count({ where: { subjectId: hub.id } });
    await expect(
      db.$transaction((tx) =>
        transitionHub(tx, { hub, from: ["ARCHIVED"], to: "READY", reason: "test", actorId: null }),
      ),
    ).rejects.toThrow(/may not move from ARCHIVED to READY/);
    expect(await db.hub.findUniqueOrThrow({ where: { id: hub.id } })).toMatchObject({
      status: hub.status,
    });
    expect(await db.auditEvent.count({ where: { subjectId: hub.id } })).toBe(eventsBefore);
  });

  it("moves from any status that may become the target when none is named", async () => {
    const { db } = database();
    const hub = await db.hub.findFirstOrThrow({ where: { course: { slug: "wvc-data-101-fa26" } } });
    const moved = await db.$transaction((tx) =>
      transitionHub(tx, { hub, to: "DECOMMISSIONING", reason: "end of term", actorId: null }),
    );
    expect(moved).toBe(true);
    expect((await db.hub.findUniqueOrThrow({ where: { id: hub.id } })).status).toBe(
      "DECOMMISSIONING",
    );
    const again = await db.$transaction((tx) =>
      transitionHub(tx, { hub, to: "SUSPENDED", reason: "budget", actorId: null }),
    );
    expect(again).toBe(false);
  });
});
