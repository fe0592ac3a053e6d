import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { createInMemoryJobQueues, provisionHubJob } from "@hubfed/jobs";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { retryHubProvisioning } from "./queries";

const database = useTestDatabase();
const queues = createInMemoryJobQueues();

describe("retrying provisioning", () => {
  it("queues a fresh provisioning job for the hub each time", async () => {
    const { db } = database();
    await seedDemoFederation(db);
    const ops = await actorFor(db, "ops@hubfed.example");
    const hub = await db.hub.findFirstOrThrow({ where: { course: { slug: "wvc-data-101-fa26" } } });
    await retryHubProvisioning(db, ops, queues, hub.slug);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await retryHubProvisioning(db, ops, queues, hub.slug);
    const retries = queues.jobsOf(provisionHubJob).filter((job) => job.data.hubId === hub.id);
    expect(retries).toHaveLength(2);
    expect(retries.every((job) => job.data.trigger === "retry")).toBe(true);
    expect(await db.auditEvent.count({ where: { action: "hub.retry", subjectId: hub.id } })).toBe(
      2,
    );
  });

  it("refuses anyone but operators", async () => {
    const { db } = database();
    const instructor = await actorFor(db, "prof.rivera@westvalley.edu");
    const hub = await db.hub.findFirstOrThrow({ where: { course: { slug: "wvc-data-101-fa26" } } });
    await expect(retryHubProvisioning(db, instructor, queues, hub.slug)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
