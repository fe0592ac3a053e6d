import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import type { AppRouterOutputs } from "@hubfed/api";
import { HubStatusPill } from "~/components/enrollment/hub-status-pill";
import { ReloadEvery } from "~/components/enrollment/reload-every";
import { isApiRefusal, serverApi } from "~/server/api";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Opening your hub" };

const retrySeconds = 10;

/**
 * The launch button: an enrolled person is sent to their hub (the URL from
 * our records, never from the request); a hub that is not ready gets a
 * status page that tries again by itself.
 */
export default async function LaunchPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireSignedIn(`/courses/${encodeURIComponent(slug)}/launch`);
  let decision: AppRouterOutputs["enrollment"]["launch"];
  try {
    decision = await (await serverApi()).enrollment.launch({ courseSlug: slug });
  } catch (error) {
    if (isApiRefusal(error, ["BAD_REQUEST", "NOT_FOUND"]))
      return (
        <div
          role="alert"
          data-refusal="not-enrolled"
          className="rounded-lg border border-red-200 bg-red-50 p-6 text-red-900"
        >
          <h1 className="text-xl font-semibold">You are not enrolled in this course</h1>
          <p className="mt-2">
            Ask your instructor for the course&apos;s join link, or{" "}
            <Link href="/join" className="underline">
              enter a join code
            </Link>
            .
          </p>
        </div>
      );
    throw error;
  }
  if (decision.kind === "redirect") redirect(decision.url);
  const { course, hub } = decision;
  return (
    <div
      className="mx-auto max-w-xl space-y-4 rounded-lg border border-slate-200 bg-white p-8"
      data-testid="hub-not-ready"
    >
      {hub?.isSimulated ? null : <ReloadEvery seconds={retrySeconds} />}
      <h1 className="text-2xl font-bold">
        {course.code}: {course.title}
      </h1>
      {hub ? (
        <>
          <p>
            The course hub is{" "}
            <HubStatusPill label={hub.description.label} tone={hub.description.tone} />
          </p>
          <p className="text-slate-700">{hub.description.explanation}</p>
        </>
      ) : (
        <p className="text-slate-700">
          This course has no hub yet. Your instructor is told when it is ready.
        </p>
      )}
      {hub?.isSimulated ? null : (
        <p className="text-sm text-slate-500" role="status">
          This page checks again every {retrySeconds} seconds and opens the hub as soon as it is
          ready.
        </p>
      )}
      <Link href="/" className="text-sm text-brand-700 hover:underline">
        Back to My hubs
      </Link>
    </div>
  );
}
