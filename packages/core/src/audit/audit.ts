import type { Prisma } from "@hubfed/db";
import type { Transaction } from "../credits";

export interface AuditInput {
  /** Null for the system (scheduled jobs, the worker). */
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Prisma.InputJsonValue;
  requestMetadata?: { ipAddress?: string; userAgent?: string };
}

/** Records who did what to what, in the caller's transaction, so the event exists exactly when the change does. */
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

export interface NotificationInput {
  userIds: string[];
  kind: string;
  title: string;
  body: string;
  /** A path in the portal, never an absolute URL. */
  href?: string;
}

/**
 * Writes in-app notifications in the caller's transaction. Emails follow
 * from these rows: the worker's notification job sends every notification
 * not yet emailed when SMTP is configured (sendPendingEmails).
 */
export async function notify(tx: Transaction, input: NotificationInput): Promise<void> {
  const userIds = [...new Set(input.userIds)];
  if (userIds.length === 0) return;
  if (input.href && !input.href.startsWith("/"))
    throw new Error("Notification links must be portal paths");
  await tx.notification.createMany({
    data: userIds.map((userId) => ({
      userId,
      kind: input.kind,
      title: input.title,
      body: input.body,
      href: input.href,
    })),
  });
}
