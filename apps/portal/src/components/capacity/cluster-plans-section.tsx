import type { AppRouterOutputs } from "@hubfed/api";
import { ClusterPlanChart } from "./cluster-plan-chart";

type ClusterPlans = AppRouterOutputs["capacity"]["clusterPlans"];

const utcDayAndTime = new Intl.DateTimeFormat("en-US", {
  weekday: "short",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZone: "UTC",
});

/** Ops: each cluster's planned memory for the next 14 days against its user pool, with conflicts. */
export function ClusterPlansSection({ clusters }: { clusters: ClusterPlans }) {
  return (
    <section aria-labelledby="cluster-plans-heading" className="space-y-4">
      <h2 id="cluster-plans-heading" className="text-xl font-semibold">
        Planned capacity, next 14 days
      </h2>
      <p className="text-sm text-slate-600">
        The memory every hub on a cluster plans to hold warm, summed, against what its user node
        pool can give at most. Where the two meet, two classes want the same nodes at once.
      </p>
      {clusters.map((cluster) => (
        <div key={cluster.clusterSlug} className="space-y-2" data-testid="cluster-plan">
          <h3 className="text-sm font-semibold text-slate-700">
            {cluster.clusterName} · {cluster.poolName} pool
          </h3>
          <ClusterPlanChart clusterName={cluster.clusterName} points={cluster.points} />
          {cluster.conflicts.length > 0 ? (
            <ul role="alert" className="list-disc pl-5 text-sm text-amber-800">
              {cluster.conflicts.map((conflict) => (
                <li key={`${conflict.from.toISOString()}-${conflict.hubSlugs.join()}`}>
                  {utcDayAndTime.format(conflict.from)} to {utcDayAndTime.format(conflict.to)} UTC:{" "}
                  {conflict.hubSlugs.join(", ")} want {Math.round(conflict.wantedMemoryMib / 1024)}{" "}
                  GiB of {Math.round(conflict.poolMaxMemoryMib / 1024)} GiB
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600">No conflicts.</p>
          )}
        </div>
      ))}
    </section>
  );
}
