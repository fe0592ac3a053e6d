export {
  applyMigrations,
  listMigrations,
  listPendingMigrations,
  type Migration,
  type MigrationReport,
} from "./migrator";
export { createMigration, readMigrationsSnapshot } from "./create-migration";
export { renderMigrationSql } from "./schema-engine";
export { readSchemaFiles, joinSchemaFiles, checksumOf, type SchemaFile } from "./schema-files";
export { defaultMigrationsDirectory, defaultSchemaDirectory } from "./paths";
