import type { Metadata } from "next";
import { Forbidden } from "~/components/forbidden";
import { JobsDashboard } from "~/components/jobs-dashboard";
import { requirePagePermission } from "~/server/guards";

export const metadata: Metadata = { title: "Background jobs" };

/** Ops: each queue's depth, the jobs whose last attempt failed with their reasons, and Retry. */
export default async function OpsJobsPage({
  searchParams,
}: {
  searchParams: Promise<{ queue?: string | string[] }>;
}) {
  if (!(await requirePagePermission("/ops/jobs", "system.jobs.manage")))
    return <Forbidden what="see background jobs" />;
  const { queue } = await searchParams;
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Background jobs</h1>
      <p className="text-sm text-slate-600">
        The worker&apos;s queues. A job whose last attempt failed stays here with its reason until
        it is retried; a retry puts it back on its queue with the same payload and is recorded in
        the audit log.
      </p>
      <JobsDashboard initialQueue={typeof queue === "string" ? queue : undefined} />
    </div>
  );
}
