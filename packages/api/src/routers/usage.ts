import { z } from "zod";
import { loadHubMetricsSummary } from "@hubfed/core";
import { requirePermission, router } from "../trpc";

const spawnHourSchema = z.object({
  hourStart: z.date(),
  spawns: z.number(),
  failedSpawns: z.number(),
  averageSpawnSeconds: z.number().nullable(),
});

/** What usage sampling recorded of a hub beyond its bill: the hub's own JupyterHub metrics. */
export const usageRouter = router({
  hubMetrics: requirePermission("hub.read")
    .input(z.object({ slug: z.string().min(1).max(80) }))
    .output(
      z.object({
        sampledAt: z.date().nullable(),
        activeUsers24h: z.number().nullable(),
        spawns: z.number(),
        failedSpawns: z.number(),
        averageSpawnSeconds: z.number().nullable(),
        hours: z.array(spawnHourSchema),
      }),
    )
    .query(({ ctx, input }) => loadHubMetricsSummary(ctx.db, ctx.actor, { slug: input.slug })),
});
