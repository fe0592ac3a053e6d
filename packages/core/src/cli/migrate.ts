// `hubfed migrate [--wait [--timeout <seconds>]]`: applies the migrations this code carries
// (the chart's migration Job), or with --wait applies nothing and returns once the database has
// them all (the apps' init containers: a pod never serves an older schema).
import { parseArgs } from "node:util";
import {
  applyMigrations,
  defaultMigrationsDirectory,
  listPendingMigrations,
} from "@hubfed/db/migrations/deploy";

const usage = "usage: migrate [--wait [--timeout <seconds>]]";

export async function runMigrateCommand(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { wait: { type: "boolean" }, timeout: { type: "string", default: "600" } },
  });
  if (positionals.length !== 1) throw new Error(usage);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const migrationsDirectory = defaultMigrationsDirectory;

  if (!values.wait) {
    const report = await applyMigrations({ databaseUrl, migrationsDirectory, log: console.log });
    console.log(
      `${report.applied.length} migration(s) applied, ${report.alreadyApplied} already applied`,
    );
    return;
  }
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new Error(`--timeout must be a number of seconds (got ${values.timeout})\n${usage}`);
  const deadline = Date.now() + timeoutSeconds * 1000;
  let lastReport = "";
  for (;;) {
    let report: string;
    try {
      const pending = await listPendingMigrations({ databaseUrl, migrationsDirectory });
      if (pending.length === 0) {
        console.log("every migration is applied");
        return;
      }
      report = `waiting for ${pending.length} migration(s), the first ${pending[0] ?? ""}`;
    } catch (error) {
      // The database may still be starting, or unreachable for a moment.
      report = `waiting for the database: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (report !== lastReport) console.log(report);
    lastReport = report;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutSeconds} s: ${report}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
