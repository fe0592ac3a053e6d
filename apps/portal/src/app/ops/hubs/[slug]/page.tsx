import type { Metadata } from "next";
import { HubPlanCard } from "~/components/capacity/course-plan-section";
import { Forbidden } from "~/components/forbidden";
import { HubMetricsPanel } from "~/components/hub-metrics-panel";
import { HubProvisioning } from "~/components/hub-provisioning";
import { isApiRefusal, serverApi } from "~/server/api";
import { requirePagePermission } from "~/server/guards";

export const metadata: Metadata = { title: "Hub" };

export default async function HubPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  if (!(await requirePagePermission(`/ops/hubs/${encodeURIComponent(slug)}`, "hub.read")))
    return <Forbidden what="see this hub" />;
  // The plan against reality beside the hub's provisioning; a hub the API will not show has neither.
  const plan = await (
    await serverApi()
  ).capacity
    .hubPlan({ hubSlug: slug })
    .catch((error: unknown) => {
      if (isApiRefusal(error, ["NOT_FOUND", "FORBIDDEN", "BAD_REQUEST"])) return null;
      throw error;
    });
  return (
    <div className="space-y-10">
      <HubProvisioning slug={slug} />
      {plan?.hub ? (
        <section aria-labelledby="hub-plan-heading" className="space-y-3">
          <h2 id="hub-plan-heading" className="text-xl font-semibold">
            Capacity plan this week
          </h2>
          <HubPlanCard hub={plan.hub} timeZone={plan.timeZone} />
        </section>
      ) : null}
      <section aria-labelledby="hub-metrics-heading" className="space-y-3">
        <h2 id="hub-metrics-heading" className="text-xl font-semibold">
          The hub&apos;s own metrics
        </h2>
        <HubMetricsPanel slug={slug} />
      </section>
    </div>
  );
}
