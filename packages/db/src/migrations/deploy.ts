// What a deployed process needs to migrate (`hubfed migrate`): applying and checking the
// committed migrations, without the schema engine that creating a migration loads.
export { applyMigrations, listPendingMigrations, type MigrationReport } from "./migrator";
export { defaultMigrationsDirectory } from "./paths";
