import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabaseClient } from "@hubfed/db";
import { testRedisUrl, useTestDatabase } from "@hubfed/db/testing";
import { checkHealth, checkPortalReadiness } from "./check-health";
import { recordWorkerHeartbeat } from "./heartbeat";

const database = useTestDatabase();
// A key prefix of its own: other test files' workers record heartbeats in the same Redis.
const redis = new Redis(testRedisUrl(), {
  maxRetriesPerRequest: 1,
  keyPrefix: `health-test-${process.pid}:`,
});
afterAll(() => redis.disconnect());

describe("the portal's health and readiness", () => {
  it("stays ready while the worker's heartbeat is stale: a worker outage is not a portal outage", async () => {
    const { db } = database();
    const now = new Date();
    await recordWorkerHeartbeat(redis, "worker-a", new Date(now.getTime() - 10 * 60_000));
    const report = await checkHealth({ db, redis, now });
    expect(report.worker).toMatchObject({ isHealthy: false });
    expect(report.isHealthy).toBe(false);
    expect(report.isReady).toBe(true);
    expect(await checkPortalReadiness({ db })).toMatchObject({ isHealthy: true });
  });

  it("is healthy with a fresh heartbeat", async () => {
    const { db } = database();
    await recordWorkerHeartbeat(redis, "worker-a");
    const report = await checkHealth({ db, redis });
    expect(report).toMatchObject({ isHealthy: true, isReady: true });
  });

  it("is not ready when its database does not answer", async () => {
    // Port 1 on the loopback: nothing listens, the connection is refused at once.
    const unreachable = createDatabaseClient({
      databaseUrl: "postgresql://postgres@127.0.0.1:1/hubfed",
      maxConnections: 1,
    });
    try {
      const readiness = await checkPortalReadiness({ db: unreachable, timeoutMs: 3_000 });
      expect(readiness.isHealthy).toBe(false);
      const report = await checkHealth({ db: unreachable, redis, timeoutMs: 3_000 });
      expect(report.isReady).toBe(false);
    } finally {
      await unreachable.$disconnect();
    }
  });
});
