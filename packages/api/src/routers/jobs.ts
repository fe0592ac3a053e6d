import { z } from "zod";
import { inspectedQueues, listFailedJobs, queueOverview, retryFailedJob } from "@hubfed/core";
import { jobStatesCounted, queueNames, type QueueName } from "@hubfed/jobs";
import { requirePermission, router } from "../trpc";

const queueSchema = z.enum(Object.values(queueNames) as [QueueName, ...QueueName[]]);

const failedJobSchema = z.object({
  queue: queueSchema,
  id: z.string(),
  name: z.string(),
  data: z.unknown(),
  failedReason: z.string(),
  attemptsMade: z.number(),
  attempts: z.number(),
  createdAt: z.date(),
  failedAt: z.date().nullable(),
});

/** Background jobs for operators: queue depths, failed jobs with their reasons, retry. */
export const jobsRouter = router({
  overview: requirePermission("system.jobs.manage")
    .output(
      z.array(
        z.object({
          queue: queueSchema,
          counts: z.record(z.enum(jobStatesCounted), z.number()),
        }),
      ),
    )
    .query(async ({ ctx }) => {
      const depths = await queueOverview(ctx.actor, ctx.jobInspector);
      return inspectedQueues.map((queue) => ({ queue, counts: depths[queue] }));
    }),
  failed: requirePermission("system.jobs.manage")
    .input(z.object({ queue: queueSchema, page: z.number().int().min(1).max(10_000).default(1) }))
    .output(
      z.object({
        jobs: z.array(failedJobSchema),
        total: z.number(),
        page: z.number(),
        pageCount: z.number(),
      }),
    )
    .query(({ ctx, input }) => listFailedJobs(ctx.actor, ctx.jobInspector, input)),
  retry: requirePermission("system.jobs.manage")
    .input(z.object({ queue: queueSchema, jobId: z.string().min(1).max(200) }))
    .output(failedJobSchema)
    .mutation(({ ctx, input }) =>
      retryFailedJob(ctx.db, ctx.actor, ctx.jobInspector, input, ctx.requestMetadata),
    ),
});
