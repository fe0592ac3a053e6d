import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";

export type DatabaseClient = PrismaClient;

export interface DatabaseClientOptions {
  databaseUrl: string;
  /** Connections in this process's pool; the portal and the worker size it separately. */
  maxConnections?: number;
  /**
   * A query with no answer after this long fails ("Query read timeout") and its connection is
   * dropped, instead of waiting for as long as the network stalls. Unset: no limit.
   */
  queryTimeoutMs?: number;
  /** Waiting for a connection (a new one, or a free one from a full pool) fails after this long. */
  connectTimeoutMs?: number;
}

/**
 * Creates a Prisma client over node-postgres. The driver adapter means no Rust
 * query engine is needed at run time (REFERENCE §7).
 */
export function createDatabaseClient({
  databaseUrl,
  maxConnections = 10,
  queryTimeoutMs,
  connectTimeoutMs,
}: DatabaseClientOptions): DatabaseClient {
  // A connection dropped by the server (a restart, a failover, an operator's
  // pg_terminate_backend) must fail the queries on it, not crash the process:
  // node-postgres emits those as 'error' events, which kill Node when nobody
  // listens, including on a client between being released and being reused.
  // Every client therefore gets a listener for its whole life.
  //
  // A server that stops answering without closing (a network partition, a paused host) is
  // bounded by the two timeouts: the query fails, the pool destroys its connection, and the
  // next query opens a fresh one once the server answers again (isDatabaseUnavailable tells
  // callers which failures these are).
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: maxConnections,
    query_timeout: queryTimeoutMs,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
  });
  const ignoreDroppedConnection = () => undefined;
  pool.on("error", ignoreDroppedConnection);
  pool.on("connect", (client) => client.on("error", ignoreDroppedConnection));
  const adapter = new PrismaPg(pool, {
    disposeExternalPool: true,
    onPoolError: ignoreDroppedConnection,
    onConnectionError: ignoreDroppedConnection,
  });
  return new PrismaClient({ adapter });
}

// What Prisma (over node-postgres) throws when the server is unreachable or does not answer in
// time, as opposed to a query answered with an error. Only errors that came through Prisma (they
// carry its clientVersion) are considered: a refused fetch elsewhere is not the database.
const unavailableMessages =
  /Query read timeout|Connection terminated|timeout exceeded when trying to connect|Can't reach database server|Timed out fetching a new connection|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH/i;
const unavailableCodes = new Set([
  "P1001",
  "P1002",
  "P1017",
  "P2024",
  "ECONNREFUSED",
  "ECONNRESET",
]);

/** Whether an error means the database did not answer (as opposed to answering with an error). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error) || !("clientVersion" in error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === "string" && unavailableCodes.has(code)) return true;
  return unavailableMessages.test(error.message);
}
