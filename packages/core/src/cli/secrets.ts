// `hubfed secrets reseal`: rewrites every sealed secret under the current HUBFED_SECRET_KEY
// (ADR 0007, "Sealed secrets"). Run it with the new key in HUBFED_SECRET_KEY and the old ones in
// HUBFED_PREVIOUS_SECRET_KEYS (comma-separated); once it reports nothing left to reseal, the old
// keys can be dropped from every process's environment.
import { parseArgs } from "node:util";
import { createDatabaseClient } from "@hubfed/db";
import { resealSecrets } from "@hubfed/identity/reseal";
import { createSecretBox } from "@hubfed/identity/secret-box";

const usage = "usage: secrets reseal";

export async function runSecretsCommand(argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const [group, command] = positionals;
  if (group !== "secrets" || command !== "reseal") throw new Error(usage);
  const databaseUrl = process.env.DATABASE_URL;
  const currentKey = process.env.HUBFED_SECRET_KEY;
  if (!databaseUrl || !currentKey)
    throw new Error("DATABASE_URL and HUBFED_SECRET_KEY must be set");
  const previousKeys = (process.env.HUBFED_PREVIOUS_SECRET_KEYS ?? "")
    .split(",")
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
  const box = createSecretBox(currentKey, previousKeys);
  const db = createDatabaseClient({ databaseUrl, maxConnections: 2 });
  try {
    const report = await resealSecrets(db, box);
    const resealed = Object.entries(report.resealed);
    console.log(
      resealed.length === 0
        ? `nothing to reseal: ${report.current} value(s) already under key ${box.currentKeyId}`
        : `resealed under key ${box.currentKeyId}: ${resealed
            .map(([column, count]) => `${column} ${count}`)
            .join(", ")}; ${report.current} already current`,
    );
  } finally {
    await db.$disconnect();
  }
}
