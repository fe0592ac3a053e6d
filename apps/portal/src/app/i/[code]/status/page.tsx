import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { resolveInteractRequest } from "@hubfed/core";
import { InteractOutcomeView } from "~/components/links/interact-outcome";
import { services } from "~/server/services";
import { currentSession } from "~/server/session";

export const metadata: Metadata = { title: "Content link" };
export const dynamic = "force-dynamic";

/** What /i/<code> shows when it cannot redirect: join, the hub's status, or a refusal. */
export default async function ContentLinkStatusPage({
  params,
}: {
  params: Promise<{ code: string }>;
}) {
  const { code } = await params;
  const linkPath = `/i/${encodeURIComponent(code)}`;
  const session = await currentSession();
  const outcome = await resolveInteractRequest(services().db, {
    form: "code",
    code,
    userId: session?.user.id || null,
  });
  if (outcome.kind === "redirect") redirect(linkPath);
  if (outcome.kind === "sign-in")
    redirect(`/signin?callbackUrl=${encodeURIComponent(outcome.next)}`);
  return <InteractOutcomeView outcome={outcome} retryPath={linkPath} />;
}
