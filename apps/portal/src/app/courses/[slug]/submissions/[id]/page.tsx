import type { Metadata } from "next";
import Link from "next/link";
import type { AppRouterOutputs } from "@hubfed/api";
import { Forbidden } from "~/components/forbidden";
import { SubmissionStatusBadge } from "~/components/grading/badges";
import { isPending } from "~/components/grading/grading-format";
import { LocalTime } from "~/components/grading/local-time";
import { RefreshWhilePending } from "~/components/grading/refresh-while-pending";
import { RegradeButton } from "~/components/grading/regrade-button";
import { latenessWording, ScoreText } from "~/components/grading/submission-card";
import { TestResults } from "~/components/grading/test-results";
import { isApiRefusal, serverApi } from "~/server/api";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Submission" };
export const dynamic = "force-dynamic";

/** One submission: staff see every test, its output and the operator's detail; its student, what they may. */
export default async function SubmissionPage({
  params,
}: {
  params: Promise<{ slug: string; id: string }>;
}) {
  const { slug, id } = await params;
  await requireSignedIn(
    `/courses/${encodeURIComponent(slug)}/submissions/${encodeURIComponent(id)}`,
  );
  let submission: AppRouterOutputs["grading"]["submission"];
  try {
    submission = await (
      await serverApi()
    ).grading.submission({ courseSlug: slug, submissionId: id });
  } catch (error) {
    if (isApiRefusal(error, ["BAD_REQUEST", "NOT_FOUND", "FORBIDDEN"]))
      return <Forbidden what="see this submission" />;
    throw error;
  }
  const course = `/courses/${encodeURIComponent(slug)}`;
  const isStaff = submission.canRegrade;
  return (
    <div className="space-y-6">
      <RefreshWhilePending isPending={isPending(submission.status)} />
      <div className="space-y-1">
        <Link
          href={
            isStaff
              ? `${course}/gradebook`
              : `${course}/assignments/${encodeURIComponent(submission.assignment.slug)}`
          }
          className="text-sm text-brand-700 hover:underline"
        >
          {isStaff ? "← Gradebook" : "← The assignment"}
        </Link>
        <h2 className="text-2xl font-semibold">
          <Link
            href={`${course}/assignments/${encodeURIComponent(submission.assignment.slug)}`}
            className="hover:underline"
          >
            {submission.assignment.title}
          </Link>
        </h2>
        <p className="text-slate-700" data-testid="submission-student">
          {submission.user.name ?? submission.user.username}{" "}
          <span className="text-slate-500">({submission.user.username})</span>
        </p>
      </div>
      <dl className="grid max-w-2xl grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <dt className="text-slate-500">Attempt</dt>
        <dd data-testid="submission-attempt">{submission.attempt}</dd>
        <dt className="text-slate-500">Submitted</dt>
        <dd>
          <LocalTime instant={submission.submittedAt} />
          {submission.channel === "NOTEBOOK" ? " from the notebook" : " by upload"}
        </dd>
        <dt className="text-slate-500">Lateness</dt>
        <dd data-testid="submission-lateness">
          {latenessWording(submission.daysLate, submission.penaltyPercent)}
        </dd>
        <dt className="text-slate-500">Status</dt>
        <dd>
          <SubmissionStatusBadge status={submission.status} />
          {submission.gradedAt ? (
            <span className="ml-2 text-slate-500">
              <LocalTime instant={submission.gradedAt} />
              {isStaff && submission.gradingMillis !== null
                ? ` · ${(submission.gradingMillis / 1000).toFixed(1)} s`
                : ""}
            </span>
          ) : null}
        </dd>
        <dt className="text-slate-500">Score</dt>
        <dd>
          <ScoreText
            submission={submission}
            points={submission.assignment.points}
            hiddenNote={
              submission.assignment.hiddenResults === "NEVER"
                ? "score not shown"
                : "score shown after the due date"
            }
          />
        </dd>
        {isStaff ? (
          <>
            <dt className="text-slate-500">Material</dt>
            <dd>revision {submission.materialRevision}</dd>
          </>
        ) : null}
      </dl>
      {isStaff ? (
        <RegradeButton
          courseSlug={slug}
          assignmentSlug={submission.assignment.slug}
          submissionId={submission.id}
        />
      ) : null}
      {submission.failureReason && submission.status !== "GRADED" ? (
        <div
          role="alert"
          className="rounded-md bg-red-50 p-3 text-sm text-red-800"
          data-testid="failure-reason"
        >
          {submission.failureReason}
        </div>
      ) : null}
      {isStaff && submission.failureDetail ? (
        <details
          className="rounded-md border border-slate-200 bg-white p-3 text-sm"
          data-testid="failure-detail"
        >
          <summary className="cursor-pointer font-medium">Operator detail</summary>
          <pre className="mt-2 max-h-96 overflow-auto whitespace-pre-wrap text-xs">
            {submission.failureDetail}
          </pre>
        </details>
      ) : null}
      <section aria-labelledby="tests-heading" className="space-y-2">
        <h3 id="tests-heading" className="text-lg font-semibold">
          Tests
        </h3>
        {submission.results.length === 0 ? (
          <p className="text-sm text-slate-600">
            {isPending(submission.status) ? "Grading…" : "No test results."}
          </p>
        ) : (
          <TestResults results={submission.results} />
        )}
      </section>
    </div>
  );
}
