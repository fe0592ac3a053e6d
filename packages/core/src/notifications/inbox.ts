import { actorColumns, actorFromRow, type ActorRow } from "@hubfed/auth/actor";
import type { Actor } from "@hubfed/auth/permissions";
import { Prisma, type DatabaseClient } from "@hubfed/db";

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

/** The same count as a column of a statement over `"User" u`. */
const unreadNotificationsColumn = Prisma.sql`(SELECT count(*)::int FROM "Notification" n
      WHERE n."userId" = u.id AND n."readAt" IS NULL) AS "unreadNotifications"`;

/** Who is looking at a portal page: their roles, and the unread count the header shows. */
export interface PageViewer {
  actor: Actor;
  unreadNotifications: number;
}

/**
 * The signed-in person as every portal page needs them, in one statement: the roles that
 * authorize the page and the unread count in its header. Two statements on every page were a
 * measurable share of its CPU (a round trip to PostgreSQL costs more here than either query;
 * docs/benchmarks.md, "My hubs"). Undefined when the user no longer exists.
 */
export async function loadPageViewer(
  db: DatabaseClient,
  userId: string,
): Promise<PageViewer | undefined> {
  const [row] = await db.$queryRaw<Array<ActorRow & { unreadNotifications: number }>>`
    SELECT ${actorColumns}, ${unreadNotificationsColumn} FROM "User" u WHERE u.id = ${userId}`;
  return row
    ? { actor: actorFromRow(row), unreadNotifications: row.unreadNotifications }
    : undefined;
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
