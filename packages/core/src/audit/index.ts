export { recordAuditEvent, notify, type AuditInput, type NotificationInput } from "./audit";
export { sendPendingEmails, type MailTransport, type SendPendingEmailsOptions } from "./mail";
