import type { Metadata } from "next";
import { Forbidden } from "~/components/forbidden";
import { RegionsPanel } from "~/components/regions-panel";
import { ReviewQueue } from "~/components/review-queue";
import { requirePagePermission } from "~/server/guards";

export const metadata: Metadata = { title: "Operations" };

export default async function OpsPage() {
  if (!(await requirePagePermission("/ops", "request.review")))
    return <Forbidden what="see the operations console" />;
  return (
    <div className="space-y-10">
      <h1 className="text-3xl font-bold">Operations</h1>
      <ReviewQueue />
      <section aria-labelledby="regions-heading">
        <h2 id="regions-heading" className="mb-3 text-xl font-semibold">
          Regions
        </h2>
        <RegionsPanel />
      </section>
    </div>
  );
}
