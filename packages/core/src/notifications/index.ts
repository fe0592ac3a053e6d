export { listNotifications, markNotificationsRead } from "./inbox";
