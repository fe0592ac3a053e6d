import { z } from "zod";
import { listGitOpsExports, requestGitOpsExport } from "@hubfed/core";
import { gitOpsExportStatusSchema } from "../shapes";
import { requirePermission, router } from "../trpc";

const exportSummary = z.object({
  id: z.string(),
  region: z.string(),
  regionName: z.string(),
  status: gitOpsExportStatusSchema,
  contentDigest: z.string(),
  fileCount: z.number(),
  branch: z.string().nullable(),
  pullRequestNumber: z.number().nullable(),
  pullRequestUrl: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
});

/** The fleet's GitOps export (ops): what was exported lately, and a way to export now. */
export const gitopsRouter = router({
  exports: requirePermission("gitops.export")
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }).optional())
    .output(z.object({ latestByRegion: z.array(exportSummary), recent: z.array(exportSummary) }))
    .query(({ ctx, input }) => listGitOpsExports(ctx.db, ctx.actor, { limit: input?.limit })),

  export: requirePermission("gitops.export")
    .input(
      z
        .object({
          regionSlug: z.string().min(1).max(80).optional(),
          /** Propose even when nothing changed since the last proposal (e.g. a new repository). */
          isForced: z.boolean().default(false),
        })
        .optional(),
    )
    .output(z.object({ jobId: z.string() }))
    .mutation(({ ctx, input }) =>
      requestGitOpsExport(
        ctx.db,
        ctx.actor,
        ctx.queues,
        { regionSlug: input?.regionSlug, isForced: input?.isForced ?? false },
        ctx.requestMetadata,
      ),
    ),
});
