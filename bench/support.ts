// What the benchmarks share: their scratch database and how they summarise latencies.
import { defaultMigrationsDirectory } from "@hubfed/db/migrations";
import {
  createTestDatabase,
  prepareTemplateDatabase,
  type TestDatabase,
} from "@hubfed/db/test-database";
import { startTestServices, type TestServices } from "@hubfed/stack";

/** The value at `fraction` (0.5 = p50) of latencies sorted ascending; 0 when there are none. */
export function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

export interface ScratchDatabase {
  services: TestServices;
  database: TestDatabase;
  /** Drops the scratch database and stops the services this process started. */
  stop(): Promise<void>;
}

/**
 * PostgreSQL and Redis (embedded, or the servers TEST_DATABASE_ADMIN_URL and
 * TEST_REDIS_URL name) with a freshly migrated database to measure in.
 */
export async function startScratchDatabase(): Promise<ScratchDatabase> {
  const services = await startTestServices({
    databaseAdminUrl: process.env.TEST_DATABASE_ADMIN_URL,
    redisUrl: process.env.TEST_REDIS_URL,
  });
  const templateName = `bench_template_${process.pid}`;
  await prepareTemplateDatabase({
    adminUrl: services.databaseAdminUrl,
    templateName,
    migrationsDirectory: defaultMigrationsDirectory,
  });
  const database = await createTestDatabase({ adminUrl: services.databaseAdminUrl, templateName });
  return {
    services,
    database,
    async stop() {
      await database.drop();
      await services.stop();
    },
  };
}
