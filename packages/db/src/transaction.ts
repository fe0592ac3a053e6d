import type { Prisma } from "./generated/prisma/client";

/**
 * A Prisma interactive transaction. Every layer that writes in its caller's
 * transaction (the ledger, audit events, domain services) names it this way.
 */
export type Transaction = Prisma.TransactionClient;
