import type { DatabaseClient, HubStatus } from "@hubfed/db";
import { provisionHubJob, provisionJobId, type JobQueues } from "@hubfed/jobs";

// `npm start` shows the product's core loop at once: before it prints the
// URL, the demo's hubs on the Portal VM are real, READY JupyterHubs. Local
// hubs are processes; after a reboot they are gone while the database still
// says READY, so every start reconciles them (a no-op for a hub that runs).

export interface DemoHubProgress {
  hub: string;
  status: HubStatus;
  /** The step the worker is on, e.g. "Start JupyterHub (4 of 5)". */
  step?: string;
}

export interface DemoHubsOutcome {
  ready: string[];
  /** Hubs that did not become READY in time, with the reason ops see on /ops/hubs/<slug>. */
  notReady: Array<{ hub: string; status: HubStatus; reason: string | null }>;
}

const settledStatuses: readonly HubStatus[] = ["READY", "FAILED"];

/**
 * Queues a reconcile of every live hub on a local cluster and waits until
 * each is READY or FAILED (or the time is up), reporting each change of
 * status or step as it happens.
 */
export async function bringUpLocalHubs(
  db: DatabaseClient,
  queues: JobQueues,
  {
    timeoutMs = 120_000,
    pollMs = 500,
    onProgress = () => undefined,
  }: { timeoutMs?: number; pollMs?: number; onProgress?: (progress: DemoHubProgress) => void } = {},
): Promise<DemoHubsOutcome> {
  const hubs = await db.hub.findMany({
    where: {
      cluster: { runtime: "LOCAL" },
      status: { notIn: ["DECOMMISSIONING", "ARCHIVED", "SUSPENDED"] },
    },
    select: { id: true, slug: true, status: true },
  });
  const startedAt = Date.now();
  for (const hub of hubs)
    await queues.add(
      provisionHubJob,
      // A seeded hub is provisioned as approved; any other converges to its spec as it is.
      { hubId: hub.id, trigger: hub.status === "PENDING" ? "approval" : "drift" },
      { jobId: provisionJobId(hub.id, { occasion: "start", atMs: startedAt }) },
    );

  const lastReported = new Map<string, string>();
  for (;;) {
    const rows = await db.hub.findMany({
      where: { id: { in: hubs.map((hub) => hub.id) } },
      select: {
        slug: true,
        status: true,
        statusReason: true,
        updatedAt: true,
        runs: {
          where: { queuedAt: { gte: new Date(startedAt - 1000) } },
          orderBy: { queuedAt: "desc" },
          take: 1,
          select: {
            status: true,
            steps: { orderBy: { position: "asc" }, select: { name: true, status: true } },
          },
        },
      },
    });
    for (const row of rows) {
      const run = row.runs[0];
      const current = run?.steps.findIndex((step) => step.status === "RUNNING") ?? -1;
      const step =
        run && current >= 0
          ? `${run.steps[current]!.name} (${current + 1} of ${run.steps.length})`
          : undefined;
      const key = `${row.status}|${step ?? ""}`;
      if (lastReported.get(row.slug) !== key) {
        lastReported.set(row.slug, key);
        onProgress({ hub: row.slug, status: row.status, step });
      }
    }
    // A hub counts as settled once this start's run has finished: a READY
    // status left over from before the start says nothing about the process.
    const isSettled = (row: (typeof rows)[number]) =>
      settledStatuses.includes(row.status) &&
      row.runs[0] !== undefined &&
      row.runs[0].status !== "QUEUED" &&
      row.runs[0].status !== "RUNNING";
    if (rows.every(isSettled) || Date.now() - startedAt > timeoutMs) {
      return {
        ready: rows
          .filter((row) => isSettled(row) && row.status === "READY")
          .map((row) => row.slug),
        notReady: rows
          .filter((row) => !(isSettled(row) && row.status === "READY"))
          .map((row) => ({ hub: row.slug, status: row.status, reason: row.statusReason })),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
