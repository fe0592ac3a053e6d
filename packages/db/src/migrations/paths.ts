import path from "node:path";
import { fileURLToPath } from "node:url";

/** prisma/ at the repository root: the schema files and the committed migrations. */
const prismaDirectory = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../prisma",
);

export const defaultSchemaDirectory = path.join(prismaDirectory, "schema");
export const defaultMigrationsDirectory = path.join(prismaDirectory, "migrations");
