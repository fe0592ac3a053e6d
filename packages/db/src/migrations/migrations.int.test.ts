import { mkdtemp, readFile, writeFile, mkdir, cp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import {
  createEmptyDatabase,
  describeDatabaseSchema,
  testDatabaseAdminUrl,
  useTestDatabase,
} from "../testing";
import { applyMigrations, listMigrations } from "./migrator";
import { createMigration, readMigrationsSnapshot } from "./create-migration";
import { defaultMigrationsDirectory, defaultSchemaDirectory } from "./paths";
import { renderMigrationSql } from "./schema-engine";
import { readSchemaFiles } from "./schema-files";

const database = useTestDatabase();

/** A hand-written migration of what schema.prisma cannot say; its first line says so. */
const isDatabaseOnly = (sql: string) => sql.startsWith("-- Database-only:");

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("committed migrations", () => {
  it("produce exactly the database schema.prisma describes (no drift)", async () => {
    // What schema.prisma describes: the schema engine's own rendering of the
    // current datamodel, applied to an empty database.
    const expected = await createEmptyDatabase({ adminUrl: testDatabaseAdminUrl() });
    try {
      const sql = await renderMigrationSql(
        undefined,
        await readSchemaFiles(defaultSchemaDirectory),
        expected.url,
      );
      await query(expected.url, sql);
      // Defenses schema.prisma cannot express (CHECK constraints, triggers) are hand-written
      // migrations marked database-only; the expected database gets them too.
      for (const migration of await listMigrations(defaultMigrationsDirectory))
        if (isDatabaseOnly(migration.sql)) await query(expected.url, migration.sql);
      const fromMigrations = await describeDatabaseSchema(database().url);
      const fromSchema = await describeDatabaseSchema(expected.url);
      expect(Object.keys(fromMigrations.tables).length).toBeGreaterThan(30);
      expect(fromMigrations).toEqual(fromSchema);
    } finally {
      await expected.drop();
    }
  });

  it("notices a column, default, index or foreign key that differs", async () => {
    const before = await describeDatabaseSchema(database().url);
    const altered = await createEmptyDatabase({ adminUrl: testDatabaseAdminUrl() });
    try {
      await applyMigrations({
        databaseUrl: altered.url,
        migrationsDirectory: defaultMigrationsDirectory,
      });
      await query(altered.url, `ALTER TABLE "Hub" ALTER COLUMN "weight" SET DEFAULT 50`);
      expect(await describeDatabaseSchema(altered.url)).not.toEqual(before);
      await query(
        altered.url,
        `ALTER TABLE "Hub" ALTER COLUMN "weight" SET DEFAULT 100; DROP INDEX "Hub_courseId_idx"`,
      );
      expect(await describeDatabaseSchema(altered.url)).not.toEqual(before);
    } finally {
      await altered.drop();
    }
  });

  it("keep the snapshot the next migration is diffed from in step with the schema", async () => {
    const snapshot = await readMigrationsSnapshot(defaultMigrationsDirectory);
    expect(snapshot).toBeDefined();
    expect(
      await renderMigrationSql(
        snapshot,
        await readSchemaFiles(defaultSchemaDirectory),
        database().url,
      ),
    ).toBe("");
  });
});

describe("applyMigrations", () => {
  it("keeps Prisma's bookkeeping: one finished row per migration with its checksum", async () => {
    const migrations = await listMigrations(defaultMigrationsDirectory);
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      database().url,
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((row) => [row.migration_name, row.checksum])).toEqual(
      migrations.map((migration) => [migration.name, migration.checksum]),
    );
    expect(rows.every((row) => row.finished_at !== null && row.applied_steps_count === 1)).toBe(
      true,
    );
  });

  it("applies nothing the second time and is safe to run concurrently", async () => {
    const target = await createEmptyDatabase({ adminUrl: testDatabaseAdminUrl() });
    try {
      const options = { databaseUrl: target.url, migrationsDirectory: defaultMigrationsDirectory };
      const reports = await Promise.all([applyMigrations(options), applyMigrations(options)]);
      const total = (await listMigrations(defaultMigrationsDirectory)).length;
      expect(reports.map((report) => report.applied.length).sort()).toEqual([0, total]);
      expect((await applyMigrations(options)).applied).toEqual([]);
    } finally {
      await target.drop();
    }
  });

  it("rolls back a failing migration completely and names it", async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), "hubfed-migrations-"));
    await mkdir(path.join(directory, "20260101000000_good"));
    await writeFile(
      path.join(directory, "20260101000000_good", "migration.sql"),
      `CREATE TABLE "Good" (id int);`,
    );
    await mkdir(path.join(directory, "20260102000000_bad"));
    await writeFile(
      path.join(directory, "20260102000000_bad", "migration.sql"),
      `CREATE TABLE "Half" (id int);\nSELECT * FROM "Missing";`,
    );
    const target = await createEmptyDatabase({ adminUrl: testDatabaseAdminUrl() });
    try {
      await expect(
        applyMigrations({ databaseUrl: target.url, migrationsDirectory: directory }),
      ).rejects.toThrow(/20260102000000_bad failed/);
      const tables = await query<{ tablename: string }>(
        target.url,
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
      );
      expect(tables.map((row) => row.tablename)).toEqual(["Good", "_prisma_migrations"]);
    } finally {
      await target.drop();
    }
  });
});

describe("createMigration", () => {
  it("writes the SQL of a schema change and moves the snapshot on", async () => {
    const workspace = await mkdtemp(path.join(os.tmpdir(), "hubfed-create-migration-"));
    const schemaDirectory = path.join(workspace, "schema");
    const migrationsDirectory = path.join(workspace, "migrations");
    await cp(defaultSchemaDirectory, schemaDirectory, { recursive: true });
    await cp(defaultMigrationsDirectory, migrationsDirectory, { recursive: true });
    const options = {
      schemaDirectory,
      migrationsDirectory,
      databaseUrl: database().url,
      now: new Date("2030-01-01T00:00:00Z"),
    };

    expect(await createMigration({ ...options, name: "nothing" })).toEqual({ created: false });

    const hubs = path.join(schemaDirectory, "hubs.prisma");
    await writeFile(
      hubs,
      // Add a field to Hub whatever the file's column alignment.
      (await readFile(hubs, "utf8")).replace(
        /^(\s*weight\s+Int\s+@default\(100\))$/m,
        "$1\n  nickname String?",
      ),
    );
    const result = await createMigration({ ...options, name: "hub_nickname" });
    expect(result.created).toBe(true);
    if (!result.created) return;
    expect(path.basename(result.directory)).toBe("20300101000000_hub_nickname");
    expect(result.sql).toContain(`ALTER TABLE "Hub" ADD COLUMN     "nickname" TEXT`);
    expect(await createMigration({ ...options, name: "again" })).toEqual({ created: false });
  });
});
