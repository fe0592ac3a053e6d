export { createDatabaseClient, type DatabaseClient, type DatabaseClientOptions } from "./client";
export type { Transaction } from "./transaction";
export { recordAuditEvent, type AuditInput } from "./audit";
// The generated client is re-exported whole: its models, enums and the Prisma
// namespace are the schema's vocabulary, and listing them by hand would copy it.
export * from "./generated/prisma/client";
