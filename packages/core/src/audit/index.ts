export { notify, type NotificationInput } from "./audit";
export {
  auditCsv,
  type AuditEntry,
  auditFilterChoices,
  type AuditQuery,
  auditQueryInput,
  listAuditEvents,
} from "./log";
export { sendPendingEmails, type MailTransport, type SendPendingEmailsOptions } from "./mail";
