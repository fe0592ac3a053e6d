import { can, type Actor } from "@hubfed/auth/permissions";
import { type DatabaseClient, type GitOpsExportStatus, recordAuditEvent } from "@hubfed/db";
import { gitOpsExportJob, gitOpsExportJobId, type JobQueues } from "@hubfed/jobs";

import { AppError } from "../errors";

// The GitOps export as ops see it: the latest export per region and a way to
// ask for one now. Kept apart from the export itself (./export.ts), which
// needs the Kubernetes builders and Octokit that the portal does not load.

export interface GitOpsExportSummary {
  id: string;
  region: string;
  regionName: string;
  status: GitOpsExportStatus;
  contentDigest: string;
  fileCount: number;
  branch: string | null;
  pullRequestNumber: number | null;
  pullRequestUrl: string | null;
  error: string | null;
  createdAt: Date;
}

function requireExporter(actor: Actor): void {
  if (!can(actor, "gitops.export"))
    throw new AppError("FORBIDDEN", "Only federation operators export the fleet");
}

/** The most recent exports, newest first, and the latest one of each region. */
export async function listGitOpsExports(
  db: DatabaseClient,
  actor: Actor,
  { limit = 20 }: { limit?: number } = {},
): Promise<{ latestByRegion: GitOpsExportSummary[]; recent: GitOpsExportSummary[] }> {
  requireExporter(actor);
  const toSummary = (
    row: Omit<GitOpsExportSummary, "region" | "regionName"> & {
      region: { slug: string; name: string };
    },
  ): GitOpsExportSummary => ({
    id: row.id,
    region: row.region.slug,
    regionName: row.region.name,
    status: row.status,
    contentDigest: row.contentDigest,
    fileCount: row.fileCount,
    branch: row.branch,
    pullRequestNumber: row.pullRequestNumber,
    pullRequestUrl: row.pullRequestUrl,
    error: row.error,
    createdAt: row.createdAt,
  });
  const include = { region: { select: { slug: true, name: true } } } as const;
  const [recent, regions] = await Promise.all([
    db.gitOpsExport.findMany({ orderBy: { createdAt: "desc" }, take: limit, include }),
    db.region.findMany({
      orderBy: { slug: "asc" },
      select: {
        gitOpsExports: { orderBy: { createdAt: "desc" }, take: 1, include },
      },
    }),
  ]);
  return {
    latestByRegion: regions.flatMap((region) => region.gitOpsExports.map(toSummary)),
    recent: recent.map(toSummary),
  };
}

/** Ops ask for an export now (optionally of one region, optionally forced); the worker runs it. */
export async function requestGitOpsExport(
  db: DatabaseClient,
  actor: Actor,
  queues: JobQueues,
  input: { regionSlug?: string; isForced?: boolean },
  requestMetadata?: { ipAddress?: string; userAgent?: string },
): Promise<{ jobId: string }> {
  requireExporter(actor);
  if (input.regionSlug !== undefined) {
    const region = await db.region.findUnique({ where: { slug: input.regionSlug } });
    if (!region)
      throw new AppError("NOT_FOUND", "No such region", { regionSlug: ["No such region"] });
  }
  await db.$transaction((tx) =>
    recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "gitops.export",
      subjectType: "Region",
      subjectId: input.regionSlug ?? "*",
      details: { isForced: input.isForced ?? false },
      requestMetadata,
    }),
  );
  const jobId = await queues.add(
    gitOpsExportJob,
    { regionSlug: input.regionSlug, isForced: input.isForced },
    { jobId: gitOpsExportJobId({ manualAtMs: Date.now() }) },
  );
  return { jobId };
}

const coalescingWindowMs = 30_000;

/**
 * Queues one export for the end of the current 30-second window: every
 * reconcile that applies a new revision in the window shares it, and the
 * export (running after the window) sees all of their changes.
 */
export async function queueGitOpsExportAfterReconcile(queues: JobQueues): Promise<string> {
  const now = Date.now();
  const window = Math.floor(now / coalescingWindowMs);
  return queues.add(
    gitOpsExportJob,
    {},
    {
      jobId: gitOpsExportJobId({ afterReconcileWindow: window }),
      delayMs: (window + 1) * coalescingWindowMs - now + 1_000,
    },
  );
}
