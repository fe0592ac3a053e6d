import type { Metadata } from "next";
import { Forbidden } from "~/components/forbidden";
import { HubProvisioning } from "~/components/hub-provisioning";
import { requirePagePermission } from "~/server/guards";

export const metadata: Metadata = { title: "Hub" };

export default async function HubPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  if (!(await requirePagePermission(`/ops/hubs/${encodeURIComponent(slug)}`, "hub.read")))
    return <Forbidden what="see this hub" />;
  return <HubProvisioning slug={slug} />;
}
