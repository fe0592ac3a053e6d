import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "~/components/forbidden";
import { GitOpsPanel } from "~/components/gitops-panel";
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
      <ul className="flex flex-wrap gap-x-6 gap-y-2">
        <li>
          <Link href="/ops/hubs" className="text-brand-700 hover:underline">
            Every hub: health, usage and spend →
          </Link>
        </li>
        <li>
          <Link href="/ops/audit" className="text-brand-700 hover:underline">
            Audit log →
          </Link>
        </li>
      </ul>
      <ReviewQueue />
      <p>
        <Link href="/ops/capacity" className="text-brand-700 hover:underline">
          Capacity windows waiting for a decision →
        </Link>
      </p>
      <p>
        <Link href="/ops/jobs" className="text-brand-700 hover:underline">
          Background jobs: queues and failed jobs →
        </Link>
      </p>
      <section aria-labelledby="regions-heading">
        <h2 id="regions-heading" className="mb-3 text-xl font-semibold">
          Regions
        </h2>
        <RegionsPanel />
      </section>
      <section aria-labelledby="gitops-heading">
        <h2 id="gitops-heading" className="mb-3 text-xl font-semibold">
          GitOps export
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          Each region&apos;s hubs as <code>regions/&lt;region&gt;/hubs/&lt;course&gt;.yaml</code>,
          proposed as a pull request when a repository is configured.
        </p>
        <GitOpsPanel />
      </section>
    </div>
  );
}
