import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { findFreePort } from "./ports";
import { startEmbeddedPostgres } from "./postgres";
import { startRedis } from "./redis";

export interface TestServices {
  databaseAdminUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL and Redis for a test run. Uses TEST_DATABASE_ADMIN_URL and
 * TEST_REDIS_URL when the caller already runs them (the test orchestrator
 * starts them once for unit, integration and end-to-end tests); otherwise
 * starts throw-away servers of its own, so `npm test` relies on nothing
 * that happens to run on the machine.
 */
export async function startTestServices(environment: {
  databaseAdminUrl?: string;
  redisUrl?: string;
}): Promise<TestServices> {
  const stoppers: Array<() => Promise<void>> = [];
  let scratchDirectory: string | undefined;
  const scratch = async () => {
    if (!scratchDirectory) {
      scratchDirectory = await mkdtemp(path.join(os.tmpdir(), "hubfed-test-"));
      // mkdtemp makes the folder private; as root, PostgreSQL runs as the
      // `postgres` user and must be able to reach its data directory inside.
      await chmod(scratchDirectory, 0o755);
    }
    return scratchDirectory;
  };

  let databaseAdminUrl = environment.databaseAdminUrl;
  if (!databaseAdminUrl) {
    const postgres = await startEmbeddedPostgres({
      dataDirectory: path.join(await scratch(), "postgres"),
      port: await findFreePort(),
      isEphemeral: true,
    });
    stoppers.push(() => postgres.stop());
    databaseAdminUrl = postgres.adminUrl;
  }
  let redisUrl = environment.redisUrl;
  if (!redisUrl) {
    const redis = await startRedis({
      dataDirectory: path.join(await scratch(), "redis"),
      port: await findFreePort(),
      isPersistent: false,
    });
    stoppers.push(() => redis.stop());
    redisUrl = redis.url;
  }
  return {
    databaseAdminUrl,
    redisUrl,
    async stop() {
      for (const stop of stoppers.reverse()) await stop();
      if (scratchDirectory) await rm(scratchDirectory, { recursive: true, force: true });
    },
  };
}
