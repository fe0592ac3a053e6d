import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import type { AppRouterOutputs } from "@hubfed/api";
import { sameOriginPath } from "@hubfed/auth/return-target";
import { JoinCourseButton } from "~/components/enrollment/join-course";
import { isApiRefusal, serverApi } from "~/server/api";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Join a course" };

const roleWords = { INSTRUCTOR: "an instructor", TA: "a teaching assistant", STUDENT: "a student" };

// `next` only ever names a path on this portal; the placeholder origin makes
// every absolute URL fail the check.
const pathOnlyOrigin = "https://portal.invalid";

export default async function JoinWithCodePage({
  params,
  searchParams,
}: {
  params: Promise<{ code: string }>;
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const { code } = await params;
  const requestedNext = (await searchParams).next;
  // Where to go once enrolled (the content link that sent the student here).
  const next =
    typeof requestedNext === "string" ? sameOriginPath(requestedNext, pathOnlyOrigin) : undefined;
  const path = `/join/${encodeURIComponent(code)}${next ? `?next=${encodeURIComponent(next)}` : ""}`;
  // Signed-out visitors sign in and come back here (the callback is this path only).
  await requireSignedIn(path);
  // Every look-up counts against the person's join-code limit: codes must not be guessable.
  let description: AppRouterOutputs["enrollment"]["describeJoinCode"];
  try {
    description = await (await serverApi()).enrollment.describeJoinCode({ code });
  } catch (error) {
    if (isApiRefusal(error, ["TOO_MANY_REQUESTS"]))
      return (
        <Panel>
          <h1 className="text-2xl font-bold">Please wait a moment</h1>
          <p role="alert" className="text-slate-700">
            {error.message}
          </p>
        </Panel>
      );
    // A code longer than any join code (refused by the API's input) names no course.
    if (!isApiRefusal(error, ["BAD_REQUEST"])) throw error;
    description = { state: "unknown" };
  }
  if (description.state === "unknown")
    return (
      <Panel>
        <h1 className="text-2xl font-bold">No course has this join code</h1>
        <p role="alert" className="text-slate-700">
          Check the code for typos (it looks like ABCDE-FGH23), or ask your instructor for the link.
        </p>
        <Link href="/join" className="text-brand-700 hover:underline">
          Type a code
        </Link>
      </Panel>
    );
  const { course } = description;
  const courseLabel = `${course.code}: ${course.title}`;
  return (
    <Panel>
      <p className="text-sm text-slate-500">
        {course.institution} · {course.term}
      </p>
      <h1 className="text-2xl font-bold" data-testid="join-course">
        {courseLabel}
      </h1>
      {description.enrolledAs ? (
        <div
          role="status"
          data-testid="join-outcome"
          className="rounded-md bg-green-50 p-4 text-green-900"
        >
          You are enrolled in this course as {roleWords[description.enrolledAs]}.{" "}
          {next ? (
            <a href={next} className="font-medium underline" data-testid="join-continue">
              Continue to your link
            </a>
          ) : (
            <Link href="/" className="font-medium underline">
              Go to My hubs
            </Link>
          )}
        </div>
      ) : description.state === "active" && description.isForSignedInPerson ? (
        <>
          <p className="text-slate-700">You will join as {roleWords[description.role]}.</p>
          <JoinCourseButton code={code} courseLabel={course.code} next={next} />
        </>
      ) : (
        <p
          role="alert"
          data-testid="join-outcome"
          className="rounded-md bg-red-50 p-4 text-red-900"
        >
          {description.message}
        </p>
      )}
    </Panel>
  );
}

function Panel({ children }: { children: ReactNode }) {
  return (
    <div className="mx-auto max-w-lg space-y-4 rounded-lg border border-slate-200 bg-white p-8">
      {children}
    </div>
  );
}
