// Vitest glue for integration tests: the global setup (vitest.global-setup.ts
// at the repository root) starts PostgreSQL and Redis and provides their URLs.
import { afterAll, beforeAll, inject } from "vitest";
import { createTestDatabase, type TestDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseAdminUrl: string;
    databaseTemplateName: string;
    redisUrl: string;
  }
}

/**
 * Gives the calling test file a fresh database of its own. Use the returned
 * getter inside tests: `const database = useTestDatabase(); … database().db`.
 */
export function useTestDatabase(): () => TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase({
      adminUrl: inject("databaseAdminUrl"),
      templateName: inject("databaseTemplateName"),
    });
  });
  afterAll(async () => {
    await database?.drop();
  });
  return () => {
    if (!database) throw new Error("useTestDatabase(): the database is created in beforeAll");
    return database;
  };
}

export function testRedisUrl(): string {
  return inject("redisUrl");
}

export function testDatabaseAdminUrl(): string {
  return inject("databaseAdminUrl");
}
