export { countUnreadNotifications, listNotifications, markNotificationsRead } from "./inbox";
