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
  /**
   * Opening a new connection fails after this long. Waiting for a free connection of a full
   * pool is not bounded by it (a burst queues for the pool: see maxWait below); that wait ends
   * when the connections ahead finish or fail, which the two timeouts bound.
   */
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
    keepAlive: true,
    // The pool's own connectionTimeoutMillis would also cut short the wait for a free
    // connection; set on each new client, it bounds only opening one.
    Client: connectTimeoutMs === undefined ? pg.Client : clientConnectingWithin(connectTimeoutMs),
  });
  const ignoreDroppedConnection = () => undefined;
  pool.on("error", ignoreDroppedConnection);
  pool.on("connect", (client) => client.on("error", ignoreDroppedConnection));
  const adapter = new PrismaPg(pool, {
    disposeExternalPool: true,
    onPoolError: ignoreDroppedConnection,
    onConnectionError: ignoreDroppedConnection,
  });
  // A transaction waits for a free connection of the pool for up to 10 s
  // (Prisma's default is 2 s): a burst of callers larger than the pool — a
  // lecture's worth of submissions, a fleet's daily burn — queues for the
  // pool instead of failing with "unable to start a transaction".
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000 } });
}

function clientConnectingWithin(milliseconds: number): typeof pg.Client {
  return class ClientConnectingWithin extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super({
        ...(typeof config === "string" ? { connectionString: config } : config),
        connectionTimeoutMillis: milliseconds,
      });
    }
  };
}

// What Prisma (over node-postgres) throws when the server is unreachable or does not answer in
// time, as opposed to a query answered with an error. Only errors that came through Prisma (they
// carry its clientVersion) are considered: a refused fetch elsewhere is not the database.
const unavailableMessages =
  /Query read timeout|Connection terminated|timeout expired|timeout exceeded when trying to connect|Can't reach database server|Timed out fetching a new connection|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH/i;
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
