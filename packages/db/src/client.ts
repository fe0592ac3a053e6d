import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";

export type DatabaseClient = PrismaClient;

export interface DatabaseClientOptions {
  databaseUrl: string;
  /** Connections in this process's pool; the portal and the worker size it separately. */
  maxConnections?: number;
}

/**
 * Creates a Prisma client over node-postgres. The driver adapter means no Rust
 * query engine is needed at run time (REFERENCE §7).
 */
export function createDatabaseClient({
  databaseUrl,
  maxConnections = 10,
}: DatabaseClientOptions): DatabaseClient {
  // A connection dropped by the server (a restart, a failover, an operator's
  // pg_terminate_backend) must fail the queries on it, not crash the process:
  // node-postgres emits those as 'error' events, which kill Node when nobody
  // listens, including on a client between being released and being reused.
  // Every client therefore gets a listener for its whole life.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections });
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
