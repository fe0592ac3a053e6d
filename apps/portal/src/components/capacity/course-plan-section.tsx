import type { AppRouterOutputs } from "@hubfed/api";
import { HubPlanChart } from "./hub-plan-chart";

type CoursePlan = AppRouterOutputs["capacity"]["coursePlan"];

const dayAndTime = (timeZone: string) =>
  new Intl.DateTimeFormat("en-US", {
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  });

/**
 * The plan for each of the course's hubs: what the federation will hold warm
 * ahead of each class, exam and deadline, against who actually came.
 */
export function CoursePlanSection({ plan }: { plan: CoursePlan }) {
  return (
    <section aria-labelledby="capacity-plan-heading" className="space-y-3">
      <h2 id="capacity-plan-heading" className="text-xl font-semibold">
        Capacity plan
      </h2>
      <p className="text-sm text-slate-600">
        Warm seats are raised ahead of each class, exam, deadline and approved window (a new server
        machine takes minutes to start), and dropped once the rush is over. The line is the students
        who were actually active.
      </p>
      {plan.hubs.length === 0 ? (
        <p className="text-sm text-slate-700" data-testid="no-capacity-plan">
          No live hub of this course has a cluster to plan on yet.
        </p>
      ) : (
        plan.hubs.map((hub) => <HubPlanCard key={hub.hubSlug} hub={hub} timeZone={plan.timeZone} />)
      )}
    </section>
  );
}

/** One hub's plan: its chart, and the moments its cluster cannot hold every plan. */
export function HubPlanCard({
  hub,
  timeZone,
}: {
  hub: CoursePlan["hubs"][number];
  timeZone: string;
}) {
  const format = dayAndTime(timeZone);
  return (
    <div className="space-y-2" data-testid="hub-plan">
      <h3 className="text-sm font-semibold text-slate-700">
        {hub.hubSlug} on {hub.clusterName}
      </h3>
      <HubPlanChart points={hub.points} timeZone={timeZone} />
      {hub.conflicts.length > 0 ? (
        <div role="alert" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="font-semibold">The cluster cannot hold every plan at these times:</p>
          <ul className="mt-1 list-disc pl-5">
            {hub.conflicts.map((conflict) => (
              <li key={`${conflict.from.toISOString()}-${conflict.hubSlugs.join()}`}>
                {format.format(conflict.from)} to {format.format(conflict.to)}:{" "}
                {conflict.hubSlugs.join(", ")} want {Math.round(conflict.wantedMemoryMib / 1024)}{" "}
                GiB of {Math.round(conflict.poolMaxMemoryMib / 1024)} GiB. Operators have been shown
                this too.
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
