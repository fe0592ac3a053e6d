// `hubfed operators grant <email>` and `hubfed operators list`: a new deployment's first
// operator (docs/deploy.md), who then manages the federation from /ops.
import { parseArgs } from "node:util";
import { createDatabaseClient } from "@hubfed/db";
import { grantOperator, listOperators } from "../people/operators";

const usage = "usage: operators <grant <email>|list>";

export async function runOperatorsCommand(argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const [, command, email] = positionals;
  if (!(command === "list" || (command === "grant" && email))) throw new Error(usage);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const db = createDatabaseClient({ databaseUrl, maxConnections: 1 });
  try {
    if (command === "grant" && email) {
      const { username, wasOperator } = await grantOperator(db, email);
      console.log(
        wasOperator
          ? `${username} (${email}) already is an operator`
          : `${username} (${email}) is now an operator: sign out and in again to see /ops`,
      );
      return;
    }
    const operators = await listOperators(db);
    if (operators.length === 0) console.log("no operators yet (hubfed operators grant <email>)");
    for (const operator of operators) console.log(`${operator.username}\t${operator.email ?? ""}`);
  } finally {
    await db.$disconnect();
  }
}
