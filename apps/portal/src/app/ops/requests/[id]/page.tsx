import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "~/components/forbidden";
import { OpsRequestView } from "~/components/ops-request-view";
import { requirePagePermission } from "~/server/guards";

export const metadata: Metadata = { title: "Review request" };

export default async function OpsRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!(await requirePagePermission(`/ops/requests/${encodeURIComponent(id)}`, "request.review")))
    return <Forbidden what="review hub requests" />;
  return (
    <div className="space-y-4">
      <Link href="/ops" className="text-sm text-brand-700 underline">
        ← Back to the queue
      </Link>
      <OpsRequestView requestId={id} />
    </div>
  );
}
