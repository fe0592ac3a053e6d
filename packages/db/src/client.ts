import { PrismaPg } from "@prisma/adapter-pg";
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
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: maxConnections });
  return new PrismaClient({ adapter });
}
