import type { Prisma } from "./generated/prisma/client";
import type { Transaction } from "./transaction";

export interface AuditInput {
  /** Null for the system (scheduled jobs, the worker). */
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Prisma.InputJsonValue;
  requestMetadata?: { ipAddress?: string; userAgent?: string };
}

/**
 * Records who did what to what, in the caller's transaction, so the event
 * exists exactly when the change does. It lives beside the client because
 * every layer that changes something (core's domains, identity) records it.
 */
export async function recordAuditEvent(tx: Transaction, input: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: input.actorId,
      action: input.action,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      details: input.details,
      ipAddress: input.requestMetadata?.ipAddress,
      userAgent: input.requestMetadata?.userAgent?.slice(0, 500),
    },
  });
}
