import type { Transaction } from "@hubfed/db";

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
