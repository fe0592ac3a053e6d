// `hubfed credits report --month 2026-10 [--csv]`: spend per pool, institution and hub.
import { parseArgs } from "node:util";
import { createDatabaseClient } from "@hubfed/db";
import { renderSpendCsv, renderSpendText, reportMonthlySpend } from "../credits";

const usage = "usage: credits report --month YYYY-MM [--csv]";

export async function runCreditsCommand(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { month: { type: "string" }, csv: { type: "boolean" } },
  });
  const [group, command] = positionals;
  if (group !== "credits" || command !== "report" || !values.month) throw new Error(usage);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    throw new Error(
      "DATABASE_URL is not set (npm start prints the URL of its embedded PostgreSQL)",
    );
  const db = createDatabaseClient({ databaseUrl, maxConnections: 2 });
  try {
    const report = await reportMonthlySpend(db, values.month);
    process.stdout.write(values.csv ? renderSpendCsv(report) : `${renderSpendText(report)}\n`);
  } finally {
    await db.$disconnect();
  }
}
