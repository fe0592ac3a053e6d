// `npm run db:migrate` and `npm run db:migration:create -- <name>`.
import {
  applyMigrations,
  createMigration,
  defaultMigrationsDirectory,
  defaultSchemaDirectory,
} from "./migrations";

async function main(): Promise<void> {
  const [command, argument] = process.argv.slice(2);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    throw new Error(
      "DATABASE_URL is not set (npm start prints the URL of its embedded PostgreSQL)",
    );
  if (command === "migrate") {
    const report = await applyMigrations({
      databaseUrl,
      migrationsDirectory: defaultMigrationsDirectory,
      log: console.log,
    });
    console.log(
      `${report.applied.length} migration(s) applied, ${report.alreadyApplied} already applied`,
    );
    return;
  }
  if (command === "create-migration") {
    if (!argument) throw new Error("usage: create-migration <name>");
    const result = await createMigration({
      name: argument,
      schemaDirectory: defaultSchemaDirectory,
      migrationsDirectory: defaultMigrationsDirectory,
      databaseUrl,
    });
    console.log(
      result.created ? `created ${result.directory}` : "schema unchanged: no migration created",
    );
    return;
  }
  throw new Error(`unknown command "${command ?? ""}" (expected migrate or create-migration)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
