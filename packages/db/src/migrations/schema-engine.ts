import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type * as SchemaEngineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaFile } from "./schema-files";

// Prisma's schema engine compiled to WebAssembly, pinned to the engine commit of
// our Prisma version. We use only `diff` between datamodels, which needs no
// database: introspecting PostgreSQL through the wasm engine fails (prisma/orm
// #27403), and the native engine cannot be downloaded here.
type WasmBindings = typeof SchemaEngineBindings;
type SchemaEngine = Awaited<ReturnType<WasmBindings["SchemaEngine"]["new"]>>;

let bindingsPromise: Promise<WasmBindings> | undefined;

async function loadBindings(): Promise<WasmBindings> {
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bindings: WasmBindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  // The package's entry imports the .wasm file as an ES module, which Node 20
  // cannot do without a flag, so the module is instantiated by hand.
  const wasmBytes = await readFile(gluePath.replace(/\.js$/, ".wasm"));
  const { instance } = await WebAssembly.instantiate(wasmBytes, {
    "./schema_engine_bg.js": bindings,
  });
  const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start?: () => void };
  (bindings as unknown as { __wbg_set_wasm(exports: unknown): void }).__wbg_set_wasm(exports);
  exports.__wbindgen_start?.();
  return bindings;
}

async function openEngine(files: SchemaFile[], databaseUrl: string): Promise<SchemaEngine> {
  bindingsPromise ??= loadBindings();
  const bindings = await bindingsPromise;
  // The engine opens a connection even for a diff between two datamodels (it
  // reads the server version); it neither reads nor writes any table.
  const adapter = bindMigrationAwareSqlAdapterFactory(
    new PrismaPg({ connectionString: databaseUrl, max: 1 }),
  );
  return bindings.SchemaEngine.new(
    { datamodels: files.map((file) => [file.path, file.content]) },
    () => undefined,
    adapter,
  );
}

/**
 * Renders the SQL that turns the `from` datamodel into the `to` datamodel
 * (`from: undefined` means an empty database). Empty string when they match.
 * `databaseUrl` is any reachable PostgreSQL server; nothing in it is touched.
 */
export async function renderMigrationSql(
  from: SchemaFile[] | undefined,
  to: SchemaFile[],
  databaseUrl: string,
): Promise<string> {
  const engine = await openEngine(to, databaseUrl);
  try {
    const result = await engine.diff({
      from: from ? { tag: "schemaDatamodel", files: from } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: to },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = result.stdout ?? "";
    return sql.trim() === "-- This is an empty migration." ? "" : sql;
  } finally {
    engine.free();
  }
}
