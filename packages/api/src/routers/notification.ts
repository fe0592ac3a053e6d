import { z } from "zod";
import { countUnreadNotifications, listNotifications, markNotificationsRead } from "@hubfed/core";
import { router, signedInProcedure } from "../trpc";

export const notificationRouter = router({
  list: signedInProcedure
    .input(z.void())
    .output(
      z.object({
        items: z.array(
          z.object({
            id: z.string(),
            kind: z.string(),
            title: z.string(),
            body: z.string(),
            href: z.string().nullable(),
            readAt: z.date().nullable(),
            createdAt: z.date(),
          }),
        ),
        unreadCount: z.number(),
      }),
    )
    .query(({ ctx }) => listNotifications(ctx.db, ctx.actor)),

  /** The badge beside Notifications in the portal's header. */
  unreadCount: signedInProcedure
    .input(z.void())
    .output(z.number())
    .query(({ ctx }) => countUnreadNotifications(ctx.db, ctx.actor)),

  markRead: signedInProcedure
    .input(z.object({ ids: z.array(z.string().min(1).max(40)).max(100).optional() }))
    .output(z.object({ marked: z.number() }))
    .mutation(async ({ ctx, input }) => ({
      marked: await markNotificationsRead(ctx.db, ctx.actor, input),
    })),
});
