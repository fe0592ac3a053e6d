import type { Metadata } from "next";
import { RequestDetail } from "~/components/request-detail";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Hub request" };

export default async function RequestStatusPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireSignedIn(`/requests/${encodeURIComponent(id)}`);
  return <RequestDetail requestId={id} />;
}
