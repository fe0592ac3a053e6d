import { z } from "zod";
import { getHubDetail, retryHubProvisioning } from "@hubfed/core";
import {
  clusterRuntimeSchema,
  conditionStatusSchema,
  hubStatusDescriptionSchema,
  hubStatusSchema,
  runStatusSchema,
} from "../shapes";
import { requirePermission, router } from "../trpc";

const slug = z.object({ slug: z.string().min(1).max(80) });

export const hubRouter = router({
  get: requirePermission("hub.read")
    .input(slug)
    .output(
      z.object({
        slug: z.string(),
        status: hubStatusSchema,
        isOperatorView: z.boolean(),
        staffStatus: hubStatusDescriptionSchema,
        statusReason: z.string().nullable(),
        url: z.string().nullable(),
        specRevision: z.number(),
        appliedRevision: z.number().nullable(),
        lastHealthyAt: z.date().nullable(),
        course: z.string(),
        institution: z.string(),
        cluster: z.string(),
        runtime: clusterRuntimeSchema,
        requestId: z.string().nullable(),
        canRetry: z.boolean(),
        canRequestChange: z.boolean(),
        current: z.object({
          memoryGuaranteeMib: z.number(),
          memoryLimitMib: z.number(),
          cpuGuaranteeMilli: z.number(),
          cpuLimitMilli: z.number(),
          storageGib: z.number(),
          image: z.string(),
          isAutograderEnabled: z.boolean(),
          courseEndDate: z.string(),
        }),
        conditions: z.array(
          z.object({
            type: z.string(),
            status: conditionStatusSchema,
            reason: z.string(),
            message: z.string().nullable(),
            lastTransitionAt: z.date(),
          }),
        ),
        runs: z.array(
          z.object({
            id: z.string(),
            trigger: z.string(),
            status: runStatusSchema,
            specRevision: z.number(),
            error: z.string().nullable(),
            startedAt: z.date().nullable(),
            finishedAt: z.date().nullable(),
            steps: z.array(
              z.object({
                name: z.string(),
                status: runStatusSchema,
                detail: z.string().nullable(),
                error: z.string().nullable(),
                startedAt: z.date().nullable(),
                finishedAt: z.date().nullable(),
              }),
            ),
          }),
        ),
      }),
    )
    .query(({ ctx, input }) => getHubDetail(ctx.db, ctx.actor, input.slug)),

  retry: requirePermission("hub.operate")
    .input(slug)
    .output(z.object({ isQueued: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await retryHubProvisioning(ctx.db, ctx.actor, ctx.queues, input.slug);
      return { isQueued: true };
    }),
});
