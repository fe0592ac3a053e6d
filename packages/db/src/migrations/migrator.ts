import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { checksumOf } from "./schema-files";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export interface ApplyMigrationsOptions {
  databaseUrl: string;
  migrationsDirectory: string;
  log?: (message: string) => void;
}

// The same advisory lock key `prisma migrate deploy` takes, so our migrator and
// Prisma's never run at once against one database.
const migrationAdvisoryLockKey = 72707369;

// Prisma's own bookkeeping table, column for column, so an operator who has
// Prisma's engines can switch to `prisma migrate deploy` on a database we made.
const createBookkeepingTableSql = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** The committed migrations, oldest first (folder names start with a timestamp). */
export async function listMigrations(migrationsDirectory: string): Promise<Migration[]> {
  const entries = await readdir(migrationsDirectory, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(migrationsDirectory, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

/**
 * Applies the committed migrations that the database has not seen, each in its
 * own transaction (PostgreSQL DDL is transactional, so a failing migration
 * leaves nothing behind and can simply be fixed and re-run).
 */
export async function applyMigrations({
  databaseUrl,
  migrationsDirectory,
  log = () => undefined,
}: ApplyMigrationsOptions): Promise<MigrationReport> {
  const migrations = await listMigrations(migrationsDirectory);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [migrationAdvisoryLockKey]);
    await client.query(createBookkeepingTableSql);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const appliedChecksums = new Map(rows.map((row) => [row.migration_name, row.checksum]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const appliedChecksum = appliedChecksums.get(migration.name);
      if (appliedChecksum !== undefined) {
        if (appliedChecksum !== migration.checksum) {
          log(`warning: migration ${migration.name} was edited after it was applied`);
        }
        continue;
      }
      log(`applying migration ${migration.name}`);
      await client.query("BEGIN");
      try {
        const startedAt = new Date();
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, NULL, $4, 1)`,
          [randomUUID(), migration.checksum, migration.name, startedAt],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`Migration ${migration.name} failed and was rolled back: ${reason}`, {
          cause: error,
        });
      }
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: migrations.length - applied.length };
  } finally {
    await client
      .query("SELECT pg_advisory_unlock($1)", [migrationAdvisoryLockKey])
      .catch(() => undefined);
    await client.end();
  }
}

/**
 * The committed migrations the database has not applied yet (all of them for an empty
 * database), read without the migration lock: what a pod checks before it starts, while the
 * migration Job applies them.
 */
export async function listPendingMigrations({
  databaseUrl,
  migrationsDirectory,
}: Omit<ApplyMigrationsOptions, "log">): Promise<string[]> {
  const migrations = await listMigrations(migrationsDirectory);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ table: string | null }>(
      `SELECT to_regclass('"_prisma_migrations"')::text AS table`,
    );
    if (!rows[0]?.table) return migrations.map((migration) => migration.name);
    const applied = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const appliedNames = new Set(applied.rows.map((row) => row.migration_name));
    return migrations.map((migration) => migration.name).filter((name) => !appliedNames.has(name));
  } finally {
    await client.end();
  }
}
