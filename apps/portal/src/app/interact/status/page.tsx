import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { interactFormOf, resolveInteractRequest } from "@hubfed/core";
import { InteractOutcomeView } from "~/components/links/interact-outcome";
import { services } from "~/server/services";
import { currentSession } from "~/server/session";

export const metadata: Metadata = { title: "Content link" };
export const dynamic = "force-dynamic";

/** What /interact shows when it cannot redirect: join, the hub's status, or a refusal. */
export default async function InteractStatusPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(await searchParams))
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value])
      query.append(name, item);
  const session = await currentSession();
  const outcome = await resolveInteractRequest(services().db, {
    form: interactFormOf(query),
    query,
    userId: session?.user.id || null,
  });
  if (outcome.kind === "sign-in")
    redirect(`/signin?callbackUrl=${encodeURIComponent(outcome.next)}`);
  // The router's own re-serialised path (never the raw query) is where the page retries.
  const retryPath =
    outcome.kind === "join" || outcome.kind === "hub-not-ready" ? outcome.next : "/";
  if (outcome.kind === "redirect") redirect(`/interact?${query.toString()}`);
  return <InteractOutcomeView outcome={outcome} retryPath={retryPath} />;
}
