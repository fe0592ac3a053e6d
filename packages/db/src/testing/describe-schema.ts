import pg from "pg";

export interface DatabaseSchemaDescription {
  enums: Record<string, string[]>;
  tables: Record<
    string,
    {
      columns: Record<string, { type: string; isNullable: boolean; default: string | null }>;
      indexes: Record<string, string>;
      constraints: Record<string, string>;
    }
  >;
}

/**
 * Reads the public schema's shape from PostgreSQL's catalogs: enum labels,
 * each table's columns (type, nullability, default), indexes and constraints
 * (primary keys, uniques, foreign keys with their actions, checks), rendered
 * by PostgreSQL itself so two databases compare exactly.
 */
export async function describeDatabaseSchema(
  databaseUrl: string,
  { ignoreTables = ["_prisma_migrations"] } = {},
): Promise<DatabaseSchemaDescription> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const enums = await client.query<{ name: string; labels: string[] }>(`
      SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`);
    const columns = await client.query<{
      table: string;
      column: string;
      type: string;
      not_null: boolean;
      default: string | null;
    }>(`
      SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
             a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`);
    const indexes = await client.query<{ table: string; name: string; definition: string }>(`
      SELECT tablename AS table, indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = 'public'`);
    const constraints = await client.query<{ table: string; name: string; definition: string }>(`
      SELECT c.relname AS table, con.conname AS name, pg_get_constraintdef(con.oid, true) AS definition
      FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public'`);

    const description: DatabaseSchemaDescription = { enums: {}, tables: {} };
    for (const row of enums.rows) description.enums[row.name] = row.labels;
    const tableOf = (name: string) =>
      (description.tables[name] ??= { columns: {}, indexes: {}, constraints: {} });
    for (const row of columns.rows) {
      if (ignoreTables.includes(row.table)) continue;
      tableOf(row.table).columns[row.column] = {
        type: row.type,
        isNullable: !row.not_null,
        default: row.default,
      };
    }
    for (const row of indexes.rows)
      if (!ignoreTables.includes(row.table)) tableOf(row.table).indexes[row.name] = row.definition;
    for (const row of constraints.rows)
      if (!ignoreTables.includes(row.table))
        tableOf(row.table).constraints[row.name] = row.definition;
    return description;
  } finally {
    await client.end();
  }
}
