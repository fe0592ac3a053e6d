import type { Metadata } from "next";
import { NotificationList } from "~/components/notification-list";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  await requireSignedIn("/notifications");
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Notifications</h1>
      <NotificationList />
    </div>
  );
}
