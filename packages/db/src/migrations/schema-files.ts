import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface SchemaFile {
  path: string;
  content: string;
}

/** The schema's .prisma files, in a stable order. */
export async function readSchemaFiles(schemaDirectory: string): Promise<SchemaFile[]> {
  const names = (await readdir(schemaDirectory)).filter((name) => name.endsWith(".prisma")).sort();
  return Promise.all(
    names.map(async (name) => ({
      path: name,
      content: await readFile(path.join(schemaDirectory, name), "utf8"),
    })),
  );
}

/**
 * Joins the schema files into one document. The migrations folder keeps this
 * as the snapshot of the datamodel its latest migration produces, which is the
 * "from" side when the next migration is created (the schema engine cannot
 * introspect a database here, see docs/adr/0001-offline-migrations.md).
 */
export function joinSchemaFiles(files: SchemaFile[]): string {
  return files.map((file) => `// ---- ${file.path} ----\n${file.content.trimEnd()}\n`).join("\n");
}

/** Prisma's migration checksum: the SHA-256 of migration.sql, hex-encoded. */
export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}
