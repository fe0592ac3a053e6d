import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import type { z } from "zod";
import type { Actor } from "@hubfed/auth";
import type { DatabaseClient } from "@hubfed/db";
import type { LinkRedis } from "@hubfed/core";
import { createSecretBox } from "@hubfed/identity/secret-box";
import type { InMemoryJobQueues } from "@hubfed/jobs";
import type { ApiContext } from "../context";
import { appRouter } from "../root";
import type { ProcedureMeta } from "../trpc";

// Shared by the hostile-input suites: the router's procedures as data, calling one over HTTP
// exactly as the portal's /api/trpc route does, the leaves of an input schema, and a fingerprint
// of the whole database to prove a refused call changed nothing.

export interface ProcedureEntry {
  path: string;
  type: "query" | "mutation";
  meta: ProcedureMeta | undefined;
  /** The procedure's input parsers (zod schemas), in order. */
  inputs: z.ZodType[];
}

interface ProcedureRecord {
  _def: { type: "query" | "mutation"; meta?: ProcedureMeta; inputs: unknown[] };
}

/** Every procedure of the router, read from the router itself. */
export function listProcedures(): ProcedureEntry[] {
  return Object.entries(
    appRouter._def.procedures as unknown as Record<string, ProcedureRecord>,
  ).map(([path, procedure]) => ({
    path,
    type: procedure._def.type,
    meta: procedure._def.meta,
    inputs: procedure._def.inputs as z.ZodType[],
  }));
}

export interface HttpAnswer {
  status: number;
  code?: string;
  message?: string;
  fieldErrors: Record<string, string[]> | null;
}

export interface ContextParts {
  db: DatabaseClient;
  /** The in-memory queues, which also answer the failed-jobs view. */
  queues: InMemoryJobQueues;
  redis: LinkRedis;
}

export function contextFor(parts: ContextParts, actor: Actor | undefined): ApiContext {
  return {
    ...parts,
    jobInspector: parts.queues,
    secretBox: createSecretBox(Buffer.alloc(32, 1).toString("base64")),
    verifyLink: () => Promise.resolve({ outcome: "unknown" as const, message: "not checked here" }),
    readRepositoryMaterial: () =>
      Promise.resolve({ ok: false as const, field: "repositoryUrl" as const, message: "not read" }),
    identifyHubUser: () => Promise.resolve(null),
    actor,
    requestMetadata: {},
  };
}

/** Calls one procedure through tRPC's fetch adapter, as the portal's /api/trpc route does. */
export async function callOverHttp(
  procedure: Pick<ProcedureEntry, "path" | "type">,
  input: unknown,
  context: ApiContext,
): Promise<HttpAnswer> {
  const encoded = JSON.stringify(superjson.serialize(input));
  const url = new URL(`http://portal.test/api/trpc/${procedure.path}`);
  if (procedure.type === "query") url.searchParams.set("input", encoded);
  const request = new Request(url, {
    method: procedure.type === "query" ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(procedure.type === "mutation" ? { body: encoded } : {}),
  });
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => context,
  });
  const body = (await response.json()) as {
    error?: {
      json?: {
        message?: string;
        data?: { code?: string; fieldErrors?: Record<string, string[]> | null };
      };
    };
  };
  return {
    status: response.status,
    code: body.error?.json?.data?.code,
    message: body.error?.json?.message,
    fieldErrors: body.error?.json?.data?.fieldErrors ?? null,
  };
}

/** One place a value goes in an input: its dotted path and its schema. */
export interface InputLeaf {
  path: string[];
  schema: z.ZodType;
  kind: string;
  /** Values the path needs beside it, e.g. a discriminated union's `kind`. */
  fixed: Array<{ path: string[]; value: unknown }>;
}

interface ZodDefinition {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  getter?: () => z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
  checks?: Array<{ _zod: { def: { check: string; maximum?: number } } }>;
}

function definitionOf(schema: z.ZodType): ZodDefinition {
  return (schema as unknown as { _zod: { def: ZodDefinition } })._zod.def;
}

/** The schema under optional/default/nullable/pipe wrappers (a pipe is read at its input). */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const definition = definitionOf(current);
    if (
      ["optional", "default", "prefault", "nullable", "readonly", "catch", "nonoptional"].includes(
        definition.type,
      ) &&
      definition.innerType
    )
      current = definition.innerType;
    else if (definition.type === "pipe" && definition.in) current = definition.in;
    else if (definition.type === "lazy" && definition.getter) current = definition.getter();
    else return current;
  }
}

/** The largest length (or number) a schema accepts, when it says. */
export function declaredMaximum(schema: z.ZodType): number | undefined {
  const maxima = (definitionOf(schema).checks ?? [])
    .map((check) => check._zod.def)
    .filter((check) => ["max_length", "less_than", "max_size"].includes(check.check))
    .map((check) => check.maximum)
    .filter((maximum): maximum is number => typeof maximum === "number");
  return maxima.length > 0 ? Math.min(...maxima) : undefined;
}

/**
 * Every value an input schema takes from its caller, by path: object keys are walked into, an
 * array's items under index 0, each option of a discriminated union with its discriminator set;
 * anything else (strings, numbers, enums, other unions, records…) is a leaf.
 */
export function inputLeaves(
  schema: z.ZodType,
  path: string[] = [],
  fixed: InputLeaf["fixed"] = [],
  depth = 0,
): InputLeaf[] {
  const inner = unwrap(schema);
  const definition = definitionOf(inner);
  const leaf = (kind: string): InputLeaf => ({ path, schema: inner, kind, fixed });
  if (depth > 8) return [leaf(definition.type)];
  if (definition.type === "object" && definition.shape)
    return Object.entries(definition.shape).flatMap(([key, child]) =>
      inputLeaves(child, [...path, key], fixed, depth + 1),
    );
  if (definition.type === "array" && definition.element)
    return [leaf("array"), ...inputLeaves(definition.element, [...path, "0"], fixed, depth + 1)];
  if (definition.type === "union" && definition.discriminator && definition.options) {
    const discriminator = definition.discriminator;
    return [
      leaf("union"),
      ...definition.options.flatMap((option) => {
        const shape = definitionOf(unwrap(option)).shape ?? {};
        const tag = shape[discriminator];
        const value = tag ? definitionOf(unwrap(tag)).values?.[0] : undefined;
        const withTag = [...fixed, { path: [...path, discriminator], value }];
        return Object.entries(shape)
          .filter(([key]) => key !== discriminator)
          .flatMap(([key, child]) => inputLeaves(child, [...path, key], withTag, depth + 1));
      }),
    ];
  }
  return [leaf(definition.type)];
}

/** Sets `value` at `path` inside `target` (arrays for numeric segments), returning the result. */
export function setAt(target: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head = "", ...rest] = path;
  if (/^\d+$/.test(head)) {
    const list = Array.isArray(target) ? [...(target as unknown[])] : [];
    list[Number(head)] = setAt(list[Number(head)], rest, value);
    return list;
  }
  const object =
    target !== null && typeof target === "object" && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  object[head] = setAt(object[head], rest, value);
  return object;
}

/** The input a leaf is tried with: `value` at its path (and what the path needs) on `baseline`. */
export function inputWith(leaf: InputLeaf, value: unknown, baseline: unknown = undefined): unknown {
  let input = baseline;
  for (const entry of leaf.fixed) input = setAt(input, entry.path, entry.value);
  return setAt(input, leaf.path, value);
}

/** Merges the shapes of a procedure's input parsers (tRPC allows several `.input()`). */
export function inputSchemaLeaves(procedure: ProcedureEntry): InputLeaf[] {
  return procedure.inputs.flatMap((schema) => inputLeaves(schema));
}

/**
 * A fingerprint of every table's rows: a refused call must leave it as it was. Rows are compared
 * as text, in order, so any insert, update or delete anywhere changes it.
 */
export async function databaseFingerprint(db: DatabaseClient): Promise<Record<string, string>> {
  tableDigestQuery ??= await buildTableDigestQuery(db);
  const rows = await db.$queryRawUnsafe<Array<{ table: string; digest: string }>>(tableDigestQuery);
  return Object.fromEntries(rows.map((row) => [row.table, row.digest]));
}

let tableDigestQuery: string | undefined;

/** One query that digests every table (the tables are the same for a test file's database). */
async function buildTableDigestQuery(db: DatabaseClient): Promise<string> {
  const tables = await db.$queryRawUnsafe<Array<{ table_name: string }>>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
     ORDER BY table_name`,
  );
  return tables
    .map(({ table_name: table }) => {
      const quoted = `"${table.replaceAll('"', '""')}"`;
      return `SELECT '${table.replaceAll("'", "''")}' AS "table",
        count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest
        FROM ${quoted} t`;
    })
    .join("\nUNION ALL\n");
}

/** The tables whose fingerprints differ. */
export function changedTables(
  before: Record<string, string>,
  after: Record<string, string>,
): string[] {
  return Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table]);
}
