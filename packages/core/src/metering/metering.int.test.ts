import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { seedDemoFederation } from "../testing/demo-federation";
import { sampleHubUsage, type HubUsageReading } from "./metering";

// Sampling records each running hub's usage and moves the hub's "last
// active" forward from what its servers report, so My hubs and the course
// page show real use. (The real local probe, against a real JupyterHub, is
// exercised in provisioning/local.int.test.ts; here a probe stands in for
// the runtime boundary.)

const database = useTestDatabase();

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  await db.hub.updateMany({ data: { status: "READY" } });
});

const reading = (lastActivityAt: Date | null): HubUsageReading => ({
  activeUsers: 1,
  runningServers: 1,
  requestedMemoryMib: 512,
  requestedMilliCpu: 100,
  storageMib: 3n,
  source: "hub-api",
  lastActivityAt,
});

describe("sampling hub usage", () => {
  it("records a sample per hub and moves last activity forward, never back", async () => {
    const db = database().db;
    const morning = new Date("2026-12-01T09:00:00Z");
    const noon = new Date("2026-12-01T12:00:00Z");
    await sampleHubUsage(db, () => () => Promise.resolve(reading(noon)), { now: noon });
    await sampleHubUsage(db, () => () => Promise.resolve(reading(morning)), { now: new Date() });
    const cs120 = await db.hub.findUniqueOrThrow({ where: { slug: "ccc-cs-120-fa26" } });
    expect(cs120.lastActivityAt).toEqual(noon);
    expect(await db.usageSample.count({ where: { hubId: cs120.id } })).toBe(2);
  });

  it("skips a hub whose probe fails and still samples the others", async () => {
    const db = database().db;
    const result = await sampleHubUsage(
      db,
      () => (hub) =>
        hub.slug === "wvc-data-101-fa26"
          ? Promise.reject(new Error("hub API unreachable"))
          : Promise.resolve(reading(null)),
    );
    expect(result.errors).toEqual([
      { hubSlug: "wvc-data-101-fa26", message: "hub API unreachable" },
    ]);
    expect(result.sampled).toBe(1);
  });
});
