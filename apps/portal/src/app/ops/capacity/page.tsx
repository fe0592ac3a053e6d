import type { Metadata } from "next";
import Link from "next/link";
import { ClusterPlansSection } from "~/components/capacity/cluster-plans-section";
import { Forbidden } from "~/components/forbidden";
import { formatMemory, formatSpanInZone } from "~/components/schedule/schedule-format";
import { WindowDecision } from "~/components/schedule/window-decision";
import { formatCents } from "~/lib/format";
import { serverApi } from "~/server/api";
import { requirePagePermission } from "~/server/guards";

export const metadata: Metadata = { title: "Capacity" };

/** Ops: capacity windows beyond their hub's approved envelope, oldest first, with their cost. */
export default async function OpsCapacityPage() {
  if (!(await requirePagePermission("/ops/capacity", "capacity.review")))
    return <Forbidden what="decide capacity windows" />;
  const api = await serverApi();
  const [pending, clusterPlans] = await Promise.all([
    api.capacity.pendingWindows(),
    api.capacity.clusterPlans(),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Capacity windows to decide</h1>
      <p className="text-sm text-slate-600">
        Instructors asked to hold more seats, or more memory per seat, than their hub was approved
        for. The cost is the request&apos;s estimate for the window&apos;s seats and hours.
      </p>
      {pending.length === 0 ? (
        <p className="text-slate-700">Nothing to decide.</p>
      ) : (
        <ul className="space-y-3">
          {pending.map((window) => (
            <li
              key={window.id}
              className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm"
              data-testid="pending-window"
            >
              <p>
                <Link
                  href={`/courses/${window.courseSlug}/schedule`}
                  className="font-semibold text-brand-700 hover:underline"
                >
                  {window.courseCode}: {window.courseTitle}
                </Link>{" "}
                · {window.requestedBy ?? "someone"} asks for <strong>{window.reason}</strong>
              </p>
              <p className="mt-1">
                {window.seats} seats, {formatMemory(window.memoryMibPerSeat)} each,{" "}
                {formatSpanInZone(window.startsAt, window.endsAt, window.timezone)} (
                {window.timezone}) · estimated{" "}
                <strong>{formatCents(window.estimatedCostCents)}</strong>
              </p>
              <WindowDecision
                windowId={window.id}
                label={`${window.courseCode} ${window.reason}`}
              />
            </li>
          ))}
        </ul>
      )}
      <ClusterPlansSection clusters={clusterPlans} />
    </div>
  );
}
