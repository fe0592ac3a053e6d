export { createDatabaseClient, type DatabaseClient, type DatabaseClientOptions } from "./client";
export * from "./generated/prisma/client";
