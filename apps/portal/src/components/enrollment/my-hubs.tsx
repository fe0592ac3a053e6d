import Link from "next/link";
import type { AppRouterOutputs } from "@hubfed/api";
import { formatDateTime } from "~/lib/format";
import { HubStatusPill } from "./hub-status-pill";
import { LeaveCourseButton } from "./leave-course";

type MyHub = AppRouterOutputs["me"]["hubs"][number];

const roleLabels = { INSTRUCTOR: "Instructor", TA: "Teaching assistant", STUDENT: "Student" };

/** My hubs (SPEC §1): every course hub of the signed-in person, rendered on the server. */
export function MyHubs({ hubs }: { hubs: MyHub[] }) {
  return (
    <section aria-labelledby="my-hubs-heading">
      <div className="flex items-baseline justify-between">
        <h2 id="my-hubs-heading" className="text-xl font-semibold">
          My hubs
        </h2>
        <Link href="/join" className="text-sm text-brand-700 hover:underline">
          Join a course with a code
        </Link>
      </div>
      {hubs.length === 0 ? (
        <p className="mt-2 text-slate-600">
          You have no course hubs yet. Ask your instructor for a join link or code.
        </p>
      ) : (
        <ul className="mt-3 grid gap-4 md:grid-cols-2" data-testid="my-hubs">
          {hubs.map((entry) => (
            <MyHubCard key={entry.course.slug} entry={entry} />
          ))}
        </ul>
      )}
    </section>
  );
}

function MyHubCard({ entry }: { entry: MyHub }) {
  const { course, hub } = entry;
  return (
    <li
      className="flex flex-col rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      data-testid={`my-hub-${course.slug}`}
    >
      <div className="flex items-start justify-between gap-3">
        <div>
          <p className="font-semibold">
            {course.code}: {course.title}
          </p>
          <p className="text-sm text-slate-500">
            {course.institution} · {course.term}
            {entry.role !== "STUDENT" ? ` · ${roleLabels[entry.role]}` : ""}
          </p>
        </div>
        {hub ? (
          <HubStatusPill
            label={hub.statusDescription.label}
            tone={hub.statusDescription.tone}
            explanation={hub.statusDescription.explanation}
          />
        ) : (
          <HubStatusPill label="No hub yet" tone="slate" />
        )}
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-500">Region</dt>
        <dd>{hub?.region || "—"}</dd>
        <dt className="text-slate-500">Hub last active</dt>
        <dd>{hub?.lastActivityAt ? formatDateTime(hub.lastActivityAt) : "—"}</dd>
        <dt className="text-slate-500">You last opened it</dt>
        <dd data-testid="last-launched">
          {entry.lastLaunchedAt ? formatDateTime(entry.lastLaunchedAt) : "never"}
        </dd>
      </dl>
      {hub && !hub.isLaunchable ? (
        <p className="mt-2 text-sm text-slate-600">{hub.statusDescription.explanation}</p>
      ) : null}
      {entry.latestLinks.length > 0 ? (
        <div className="mt-3">
          <p className="text-sm font-medium text-slate-700">Latest from your instructors</p>
          <ul className="mt-1 space-y-0.5 text-sm" data-testid="latest-links">
            {entry.latestLinks.map((link) => (
              <li key={link.code}>
                {/* A plain link: /i/<code> counts a click, so it is never prefetched. */}
                <a href={link.shortPath} className="text-brand-700 hover:underline">
                  {link.title}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="mt-4 flex items-center gap-3">
        {/* A plain link, not a prefetched one: launching places the person on a hub. */}
        <a
          href={entry.launchPath}
          data-testid="launch-hub"
          className={
            hub?.isLaunchable
              ? "rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
              : "rounded-md border border-slate-300 px-4 py-2 text-sm text-slate-700 hover:bg-slate-50"
          }
        >
          {hub?.isLaunchable ? "Launch" : hub?.isSimulated ? "About this hub" : "Check status"}
        </a>
        <Link
          href={`/courses/${encodeURIComponent(course.slug)}/assignments`}
          data-testid="course-assignments-link"
          className="text-sm text-brand-700 hover:underline"
        >
          Assignments
        </Link>
        {entry.role !== "STUDENT" ? (
          <Link
            href={`/courses/${encodeURIComponent(course.slug)}`}
            className="text-sm text-brand-700 hover:underline"
          >
            Course page
          </Link>
        ) : null}
        <LeaveCourseButton courseSlug={course.slug} courseCode={course.code} />
      </div>
    </li>
  );
}
