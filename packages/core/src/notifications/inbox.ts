import type { Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient } from "@hubfed/db";

export async function listNotifications(
  db: DatabaseClient,
  actor: Actor,
  { limit = 30 }: { limit?: number } = {},
) {
  const [items, unreadCount] = await Promise.all([
    db.notification.findMany({
      where: { userId: actor.userId },
      orderBy: { createdAt: "desc" },
      take: limit,
      select: {
        id: true,
        kind: true,
        title: true,
        body: true,
        href: true,
        readAt: true,
        createdAt: true,
      },
    }),
    countUnreadNotifications(db, actor),
  ]);
  return { items, unreadCount };
}

/** How many of the actor's notifications are unread (the badge beside Notifications). */
export function countUnreadNotifications(db: DatabaseClient, actor: Actor): Promise<number> {
  return db.notification.count({ where: { userId: actor.userId, readAt: null } });
}

/** Marks the given notifications (or all) as read; only the actor's own. */
export async function markNotificationsRead(
  db: DatabaseClient,
  actor: Actor,
  { ids }: { ids?: string[] },
): Promise<number> {
  const { count } = await db.notification.updateMany({
    where: { userId: actor.userId, readAt: null, ...(ids ? { id: { in: ids } } : {}) },
    data: { readAt: new Date() },
  });
  return count;
}
