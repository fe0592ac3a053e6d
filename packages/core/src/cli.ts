// The `hubfed` command line: `regions …`, `credits …` and `secrets reseal` (see README.md).
import { runCreditsCommand } from "./cli/credits";
import { runRegionsCommand } from "./cli/regions";
import { runSecretsCommand } from "./cli/secrets";

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  regions: runRegionsCommand,
  credits: runCreditsCommand,
  secrets: runSecretsCommand,
};

const argv = process.argv.slice(2);
const command = commands[argv[0] ?? ""];
(command
  ? command(argv)
  : Promise.reject(new Error("usage: hubfed <regions|credits|secrets> …"))
).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
