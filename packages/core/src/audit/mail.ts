import type { DatabaseClient } from "@hubfed/db";

/** What sending needs of a mail transport (nodemailer's transporter satisfies it). */
export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

export interface SendPendingEmailsOptions {
  transport: MailTransport;
  from: string;
  /** The portal's public URL, to turn notification paths into links. */
  portalUrl: string;
  batchSize?: number;
}

/**
 * Emails notifications that have not been emailed yet, marking each as sent
 * right after its message is accepted. A crash between the two sends that
 * one message again on the next run: at-least-once, which suits email.
 */
export async function sendPendingEmails(
  db: DatabaseClient,
  { transport, from, portalUrl, batchSize = 100 }: SendPendingEmailsOptions,
): Promise<number> {
  const pending = await db.notification.findMany({
    where: { emailedAt: null, user: { email: { not: null } } },
    include: { user: { select: { email: true } } },
    orderBy: { createdAt: "asc" },
    take: batchSize,
  });
  let sent = 0;
  for (const notification of pending) {
    if (!notification.user.email) continue;
    const link = notification.href ? `\n\n${new URL(notification.href, portalUrl).toString()}` : "";
    await transport.sendMail({
      from,
      to: notification.user.email,
      subject: notification.title,
      text: `${notification.body}${link}`,
    });
    await db.notification.update({
      where: { id: notification.id },
      data: { emailedAt: new Date() },
    });
    sent += 1;
  }
  return sent;
}
