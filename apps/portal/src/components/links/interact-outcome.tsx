import Link from "next/link";
import type { InteractOutcome } from "@hubfed/core";
import { HubStatusPill } from "../enrollment/hub-status-pill";
import { JoinCodeForm } from "./join-code-form";

type ShownOutcome = Exclude<InteractOutcome, { kind: "redirect" } | { kind: "sign-in" }>;

/**
 * What a content link shows when it cannot send the student straight to
 * their hub. Every value is rendered as text (React escapes it); nothing
 * from the request is echoed as markup.
 */
export function InteractOutcomeView({
  outcome,
  retryPath,
}: {
  outcome: ShownOutcome;
  /** The link itself: the status page comes back to it. */
  retryPath: string;
}) {
  switch (outcome.kind) {
    case "join":
      return (
        <section
          className="mx-auto max-w-lg space-y-4"
          data-testid="interact-join"
          data-refusal="join"
        >
          <h1 className="text-2xl font-bold">Join the course to open this material</h1>
          <p className="text-slate-700">
            This link opens material of a course you are not enrolled in yet. Enter the join code
            your instructor gave you, and you will come straight back here.
          </p>
          <JoinCodeForm next={outcome.next} />
        </section>
      );
    case "hub-not-ready": {
      // A suspended hub stays down until someone resumes it: waiting on this page is no use.
      const isWorthWaiting = !outcome.hub?.isSimulated && outcome.hub?.status !== "SUSPENDED";
      return (
        <section className="mx-auto max-w-lg space-y-4" data-testid="interact-hub-not-ready">
          {isWorthWaiting ? (
            <meta httpEquiv="refresh" content={`${outcome.retryAfterSeconds};url=${retryPath}`} />
          ) : null}
          <h1 className="text-2xl font-bold">
            {outcome.course.code}: {outcome.course.title}
          </h1>
          {outcome.hub ? (
            <p>
              The course hub is{" "}
              <HubStatusPill
                label={outcome.hub.description.label}
                tone={outcome.hub.description.tone}
              />
            </p>
          ) : null}
          <p className="text-slate-700">
            {outcome.hub?.description.explanation ??
              "This course has no hub yet. Your instructor is told when it is ready."}
          </p>
          {!isWorthWaiting ? (
            <p>
              <Link className="text-brand-700 underline" href="/">
                Back to My hubs
              </Link>
            </p>
          ) : (
            <>
              <p className="text-slate-700" role="status">
                This page checks again every {outcome.retryAfterSeconds} seconds and opens your
                material as soon as the hub is ready. You can leave it open.
              </p>
              <p>
                <a className="text-brand-700 underline" href={retryPath}>
                  Try again now
                </a>
              </p>
            </>
          )}
        </section>
      );
    }
    case "refuse":
      return (
        <section
          role="alert"
          className="mx-auto max-w-lg space-y-3 rounded-lg border border-red-200 bg-red-50 p-6 text-red-900"
          data-testid="interact-refused"
          data-refusal="refuse"
        >
          <h1 className="text-xl font-semibold">{outcome.title}</h1>
          <p>{outcome.message}</p>
          <p>
            <Link className="underline" href="/">
              Go to My hubs
            </Link>
          </p>
        </section>
      );
  }
}
