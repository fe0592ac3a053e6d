#!/usr/bin/env tsx
// The `hubfed` command line (`npx hubfed …` in a clone, `hubfed …` in the image; README.md and
// docs/deploy.md list the commands).
import { runCreditsCommand } from "./cli/credits";
import { runHealthCheckCommand } from "./cli/health-check";
import { runMigrateCommand } from "./cli/migrate";
import { runOperatorsCommand } from "./cli/operators";
import { runRegionsCommand } from "./cli/regions";
import { runSecretsCommand } from "./cli/secrets";
import { runValidateCommand } from "./cli/validate";

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  migrate: runMigrateCommand,
  validate: runValidateCommand,
  "health-check": runHealthCheckCommand,
  operators: runOperatorsCommand,
  regions: runRegionsCommand,
  credits: runCreditsCommand,
  secrets: runSecretsCommand,
};

const usage = `usage: hubfed <command> …
  migrate [--wait]              apply the database migrations (or wait until they are applied)
  validate [--dir <regions>]    check region files and hub files (specs, Zero to JupyterHub values)
  health-check <hub>            sign in to a hub as its test user, start a server, run a cell, stop it
  operators <grant <email>|list>  make someone who has signed in a federation operator
  regions <validate|schema|sync> [--dir <regions>]
  credits report …
  secrets reseal`;

const argv = process.argv.slice(2);
const command = commands[argv[0] ?? ""];
(command ? command(argv) : Promise.reject(new Error(usage))).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
