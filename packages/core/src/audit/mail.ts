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
  /** Tries per notification before a temporarily refused address is given up on. */
  maxAttempts?: number;
}

/**
 * Emails notifications that have not been emailed yet, marking each as sent
 * right after its message is accepted. A crash between the two sends that
 * one message again on the next run: at-least-once, which suits email.
 *
 * A mail server's refusal is about one message (one address): it is recorded
 * on that notification and the others are still sent. A temporary refusal
 * (4xx) is tried again on later runs, up to `maxAttempts`; a permanent one
 * (5xx) is given up on at once. Only a transport that does not answer at all
 * stops the run, since every other message would fail the same way; the job
 * is then retried as a whole.
 */
export async function sendPendingEmails(
  db: DatabaseClient,
  { transport, from, portalUrl, batchSize = 100, maxAttempts = 5 }: SendPendingEmailsOptions,
): Promise<number> {
  const pending = await db.notification.findMany({
    where: { emailedAt: null, emailFailedAt: null, user: { email: { not: null } } },
    include: { user: { select: { email: true } } },
    orderBy: { createdAt: "asc" },
    take: batchSize,
  });
  let sent = 0;
  for (const notification of pending) {
    if (!notification.user.email) continue;
    const link = notification.href ? `\n\n${new URL(notification.href, portalUrl).toString()}` : "";
    try {
      await transport.sendMail({
        from,
        to: notification.user.email,
        subject: notification.title,
        text: `${notification.body}${link}`,
      });
    } catch (error) {
      const refusal = smtpRefusalOf(error);
      if (!refusal) throw error;
      const attempts = notification.emailAttempts + 1;
      await db.notification.update({
        where: { id: notification.id },
        data: {
          emailAttempts: attempts,
          emailError: refusal.message.slice(0, 500),
          emailFailedAt: refusal.isPermanent || attempts >= maxAttempts ? new Date() : null,
        },
      });
      continue;
    }
    await db.notification.update({
      where: { id: notification.id },
      data: { emailedAt: new Date(), emailAttempts: notification.emailAttempts + 1 },
    });
    sent += 1;
  }
  return sent;
}

/**
 * The mail server's answer when it refused this message (nodemailer puts the
 * SMTP reply code on the error as `responseCode`); undefined when there was
 * no answer (connection refused, timeout), which is the transport's problem.
 */
function smtpRefusalOf(error: unknown): { message: string; isPermanent: boolean } | undefined {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  if (typeof code !== "number" || code < 400) return undefined;
  const message = error instanceof Error ? error.message : `refused (${code})`;
  return { message, isPermanent: code >= 500 };
}
