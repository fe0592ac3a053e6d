import type { Metadata } from "next";
import Link from "next/link";
import type { AppRouterOutputs } from "@hubfed/api";
import { Forbidden } from "~/components/forbidden";
import { WideTable } from "~/components/wide-table";
import { AssignmentActions } from "~/components/grading/assignment-actions";
import { AssignmentForm } from "~/components/grading/assignment-form";
import { AssignmentStateBadge } from "~/components/grading/badges";
import { DueDate } from "~/components/grading/due-date";
import {
  attemptsWording,
  dueWording,
  formatWhen,
  isPending,
  latePolicyWording,
  submissionStatusLabels,
  type SubmissionStatusName,
} from "~/components/grading/grading-format";
import { OpenInHubLink } from "~/components/grading/open-in-hub";
import { RefreshWhilePending } from "~/components/grading/refresh-while-pending";
import { ScoreHistogram } from "~/components/grading/score-histogram";
import { SubmissionCard } from "~/components/grading/submission-card";
import { SubmitNotebook } from "~/components/grading/submit-notebook";
import { timeZoneNames } from "~/components/grading/time-zones";
import { portalEnvironment } from "~/env";
import { isApiRefusal, serverApi } from "~/server/api";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Assignment" };
export const dynamic = "force-dynamic";

type Detail = AppRouterOutputs["grading"]["detail"];

const statusOrder: SubmissionStatusName[] = ["GRADED", "QUEUED", "GRADING", "FAILED", "TIMED_OUT"];

/** One assignment: staff manage it and see how it went; a student submits and reads their grades. */
export default async function AssignmentPage({
  params,
}: {
  params: Promise<{ slug: string; assignment: string }>;
}) {
  const { slug, assignment } = await params;
  await requireSignedIn(
    `/courses/${encodeURIComponent(slug)}/assignments/${encodeURIComponent(assignment)}`,
  );
  let data: Detail;
  try {
    data = await (
      await serverApi()
    ).grading.detail({ courseSlug: slug, assignmentSlug: assignment });
  } catch (error) {
    if (isApiRefusal(error, ["BAD_REQUEST", "NOT_FOUND", "FORBIDDEN"]))
      return <Forbidden what="see this assignment" />;
    throw error;
  }
  return data.canManage ? <StaffView data={data} /> : <StudentView data={data} />;
}

function BackLink({ courseSlug }: { courseSlug: string }) {
  return (
    <Link
      href={`/courses/${encodeURIComponent(courseSlug)}/assignments`}
      className="text-sm text-brand-700 hover:underline"
    >
      ← All assignments
    </Link>
  );
}

function StaffView({ data }: { data: Detail }) {
  const { settings } = data;
  const submitted = Object.values(data.statusCounts).reduce((sum, count) => sum + count, 0);
  const portalOrigin = new URL(portalEnvironment().NEXTAUTH_URL).origin;
  return (
    <div className="space-y-10">
      <section className="space-y-4">
        <BackLink courseSlug={data.course.slug} />
        <div className="flex flex-wrap items-center gap-3">
          <h2 className="text-2xl font-semibold" data-testid="assignment-title">
            {settings.title}
          </h2>
          <AssignmentStateBadge state={data.state} />
        </div>
        <dl className="grid max-w-2xl grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500">Due</dt>
          <dd>
            <DueDate dueAt={data.dueAt} timeZone={settings.timeZone} />
          </dd>
          <dt className="text-slate-500">Late work</dt>
          <dd>{latePolicyWording(settings.latePolicy, settings.latePenaltyPercentPerDay)}</dd>
          <dt className="text-slate-500">Attempts</dt>
          <dd>{settings.attemptsAllowed === null ? "Unlimited" : settings.attemptsAllowed}</dd>
          <dt className="text-slate-500">Material</dt>
          <dd className="break-all">
            {data.notebookName}
            {data.repository
              ? ` · ${data.repository.url} (${data.repository.branch}${data.repository.path ? `, ${data.repository.path}` : ""})`
              : " · uploaded"}
            {data.materialRevision !== null ? ` · revision ${data.materialRevision}` : ""}
          </dd>
        </dl>
        <AssignmentActions
          courseSlug={data.course.slug}
          assignmentSlug={data.slug}
          state={data.state}
          linkCode={data.linkCode}
          portalOrigin={portalOrigin}
          submissions={submitted}
        />
      </section>

      <section aria-labelledby="results-heading" className="space-y-3">
        <h2 id="results-heading" className="text-xl font-semibold">
          Results
        </h2>
        {submitted === 0 ? (
          <p className="text-slate-600">
            No submissions yet.
            {data.state === "draft" ? " Students see the assignment once you publish it." : ""}
          </p>
        ) : (
          <>
            <ul className="flex flex-wrap gap-2 text-sm" data-testid="status-counts">
              {statusOrder
                .filter((status) => data.statusCounts[status])
                .map((status) => (
                  <li
                    key={status}
                    data-status={status}
                    className="rounded-md border border-slate-200 bg-white px-3 py-1"
                  >
                    <span className="font-semibold tabular-nums">{data.statusCounts[status]}</span>{" "}
                    {submissionStatusLabels[status].replace("…", "").toLowerCase()}
                  </li>
                ))}
            </ul>
            {data.scores.length > 0 ? (
              <div>
                <p className="text-sm text-slate-600">
                  Latest graded score of each student (of {settings.points} points)
                </p>
                <ScoreHistogram scores={data.scores} points={settings.points} />
              </div>
            ) : null}
            <p className="text-sm">
              <Link
                href={`/courses/${encodeURIComponent(data.course.slug)}/gradebook`}
                className="text-brand-700 hover:underline"
              >
                Each student&apos;s submission is in the gradebook →
              </Link>
            </p>
          </>
        )}
      </section>

      <section aria-labelledby="questions-heading" className="space-y-3">
        <h2 id="questions-heading" className="text-xl font-semibold">
          Questions
        </h2>
        <WideTable className="w-full max-w-2xl text-left text-sm" data-testid="questions-table">
          <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
            <tr>
              <th className="py-2 pr-4">Question</th>
              <th className="py-2 pr-4 text-right">Points</th>
              <th className="py-2 pr-4 text-right">Public cases</th>
              <th className="py-2 text-right">Hidden cases</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.questions.map((question) => (
              <tr key={question.name}>
                <td className="py-1.5 pr-4 font-mono">{question.name}</td>
                <td className="py-1.5 pr-4 text-right tabular-nums">{question.points}</td>
                <td className="py-1.5 pr-4 text-right tabular-nums">{question.publicCases}</td>
                <td className="py-1.5 text-right tabular-nums">{question.hiddenCases}</td>
              </tr>
            ))}
          </tbody>
        </WideTable>
        <p className="text-xs text-slate-500">
          Question points weigh the tests; a student&apos;s score is scaled to the assignment&apos;s{" "}
          {settings.points} points.
        </p>
      </section>

      {data.state === "archived" ? (
        <p className="text-sm text-slate-600">Archived assignments can no longer be edited.</p>
      ) : (
        <AssignmentForm
          courseSlug={data.course.slug}
          courseTimeZone={settings.timeZone}
          timeZones={timeZoneNames()}
          edit={{
            assignmentSlug: data.slug,
            settings,
            repository: data.repository,
            notebookName: data.notebookName,
            hasSubmissions: submitted > 0,
          }}
        />
      )}
    </div>
  );
}

function StudentView({ data }: { data: Detail }) {
  const { settings } = data;
  const now = new Date();
  const isClosed = data.dueAt.getTime() <= now.getTime();
  const dueText = formatWhen(data.dueAt, settings.timeZone);
  const hasHiddenTests = data.questions.some((question) => question.hiddenCases > 0);
  const hiddenNote =
    data.hiddenResultsShown || !hasHiddenTests
      ? null
      : settings.hiddenResults === "NEVER"
        ? "Hidden tests: results never shown."
        : `Hidden tests: results shown after ${dueText}.`;
  const scoreNote =
    settings.hiddenResults === "NEVER" ? "score not shown" : `score shown after the due date`;
  const used = data.mySubmissions.length;
  const attemptsLeft =
    settings.attemptsAllowed === null ? null : Math.max(0, settings.attemptsAllowed - used);
  const canSubmit = !(isClosed && settings.latePolicy === "HARD_CUTOFF") && attemptsLeft !== 0;
  const anyPending = data.mySubmissions.some((submission) => isPending(submission.status));
  return (
    <div className="space-y-8">
      <header className="space-y-2">
        <BackLink courseSlug={data.course.slug} />
        <p className="text-sm text-slate-500">
          {data.course.code}: {data.course.title}
        </p>
        <h1 className="text-3xl font-bold" data-testid="assignment-title">
          {settings.title}
        </h1>
      </header>
      <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-slate-500">Due</dt>
          <dd>
            <DueDate
              dueAt={data.dueAt}
              timeZone={settings.timeZone}
              relative={isClosed ? "closed" : dueWording(data.dueAt, now)}
            />
          </dd>
          <dt className="text-slate-500">Late work</dt>
          <dd>{latePolicyWording(settings.latePolicy, settings.latePenaltyPercentPerDay)}</dd>
          <dt className="text-slate-500">Attempts</dt>
          <dd>
            {attemptsWording(settings.attemptsAllowed)}
            {attemptsLeft !== null ? (
              <span className="text-slate-600">
                {" "}
                You have {attemptsLeft === 1 ? "1 attempt" : `${attemptsLeft} attempts`} left.
              </span>
            ) : null}
          </dd>
          <dt className="text-slate-500">Points</dt>
          <dd>{settings.points}</dd>
        </dl>
        {data.linkCode ? (
          <div className="flex flex-wrap items-center gap-3 pt-1">
            <OpenInHubLink code={data.linkCode} />
            <span className="text-sm text-slate-600">
              Fetches {data.notebookName} into your server; run <code>submit()</code> in it when you
              are done.
            </span>
          </div>
        ) : null}
      </section>

      {canSubmit ? (
        <SubmitNotebook
          courseSlug={data.course.slug}
          assignmentSlug={data.slug}
          notebookName={data.notebookName}
        />
      ) : (
        <p className="text-sm text-slate-600" data-testid="submissions-closed">
          {attemptsLeft === 0
            ? "You have used all your attempts."
            : "Submissions closed at the due date."}
        </p>
      )}

      <section aria-labelledby="my-submissions-heading" className="space-y-3">
        <h2 id="my-submissions-heading" className="text-xl font-semibold">
          Your submissions
        </h2>
        <RefreshWhilePending isPending={anyPending} />
        {data.mySubmissions.length === 0 ? (
          <p className="text-slate-600">You have not submitted this assignment yet.</p>
        ) : (
          <ul className="space-y-3" data-testid="my-submissions">
            {data.mySubmissions.map((submission) => (
              <SubmissionCard
                key={submission.id}
                submission={submission}
                points={settings.points}
                timeZone={settings.timeZone}
                hiddenNote={hiddenNote}
                scoreNote={scoreNote}
              />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
