export {
  countUnreadNotifications,
  listNotifications,
  loadPageViewer,
  markNotificationsRead,
  type PageViewer,
} from "./inbox";
