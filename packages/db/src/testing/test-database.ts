import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabaseClient, type DatabaseClient } from "../client";
import { applyMigrations } from "../migrations/migrator";

export interface TestDatabase {
  url: string;
  name: string;
  db: DatabaseClient;
  drop(): Promise<void>;
}

function replaceDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withAdminClient<T>(
  adminUrl: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates (or re-creates) the migrated template every test database is cloned
 * from; run once per test run, so each file's database costs one
 * CREATE DATABASE … TEMPLATE instead of a full migration.
 */
export async function prepareTemplateDatabase({
  adminUrl,
  templateName,
  migrationsDirectory,
}: {
  adminUrl: string;
  templateName: string;
  migrationsDirectory: string;
}): Promise<void> {
  await withAdminClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${templateName}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${templateName}"`);
  });
  await applyMigrations({
    databaseUrl: replaceDatabase(adminUrl, templateName),
    migrationsDirectory,
  });
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase({
  adminUrl,
  templateName,
}: {
  adminUrl: string;
  templateName: string;
}): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString("hex")}`;
  await withAdminClient(adminUrl, (client) =>
    client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`),
  );
  const url = replaceDatabase(adminUrl, name);
  const db = createDatabaseClient({ databaseUrl: url, maxConnections: 20 });
  return {
    url,
    name,
    db,
    async drop() {
      await db.$disconnect();
      await withAdminClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}

/** An empty database (no migrations), for tests of the migrator itself. */
export async function createEmptyDatabase({
  adminUrl,
}: {
  adminUrl: string;
}): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `empty_${randomBytes(6).toString("hex")}`;
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    url: replaceDatabase(adminUrl, name),
    drop: () =>
      withAdminClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ).then(() => undefined),
  };
}
