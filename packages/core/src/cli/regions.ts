// `hubfed regions <validate|schema|sync> [--dir <regions directory>]`.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createDatabaseClient } from "@hubfed/db";
import { loadRegionConfigs, renderRegionJsonSchema, syncRegions } from "../regions";

const defaultRegionsDirectory = fileURLToPath(new URL("../../../../regions", import.meta.url));
const usage = "usage: regions <validate|schema|sync> [--dir <regions directory>]";

export async function runRegionsCommand(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { dir: { type: "string" } },
  });
  const [group, command] = positionals;
  if (group !== "regions" || command === undefined) throw new Error(usage);
  // npm runs workspace scripts inside the workspace; --dir is meant relative to where the user typed it.
  const regionsDirectory = values.dir
    ? path.resolve(process.env.INIT_CWD ?? process.cwd(), values.dir)
    : defaultRegionsDirectory;

  if (command === "validate") {
    const configs = await loadRegionConfigs(regionsDirectory);
    console.log(
      `OK: ${configs.length} region(s) valid (${configs.map((config) => config.slug).join(", ")})`,
    );
    return;
  }
  if (command === "schema") {
    const schemaFile = path.join(regionsDirectory, "region.schema.json");
    await writeFile(schemaFile, renderRegionJsonSchema());
    console.log(`wrote ${schemaFile}`);
    return;
  }
  if (command === "sync") {
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl)
      throw new Error(
        "DATABASE_URL is not set (npm start prints the URL of its embedded PostgreSQL)",
      );
    const configs = await loadRegionConfigs(regionsDirectory);
    const db = createDatabaseClient({ databaseUrl, maxConnections: 2 });
    try {
      const report = await syncRegions(db, configs);
      const describe = (slugs: string[]) => (slugs.length > 0 ? slugs.join(", ") : "none");
      console.log(
        `created: ${describe(report.created)}; updated: ${describe(report.updated)}; unchanged: ${describe(report.unchanged)}`,
      );
      if (report.unschedulableClusters.length > 0) {
        console.log(
          `removed from their files but still running hubs, now unschedulable: ${report.unschedulableClusters.join(", ")}`,
        );
      }
    } finally {
      await db.$disconnect();
    }
    return;
  }
  throw new Error(`unknown command "${command}"\n${usage}`);
}
