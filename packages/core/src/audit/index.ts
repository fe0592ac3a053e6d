export { notify, type NotificationInput } from "./audit";
export { sendPendingEmails, type MailTransport, type SendPendingEmailsOptions } from "./mail";
