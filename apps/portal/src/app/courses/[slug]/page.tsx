import type { Metadata } from "next";
import type { AppRouterOutputs } from "@hubfed/api";
import { CourseSpend } from "~/components/credits/course-spend";
import { JoinCodesPanel } from "~/components/enrollment/join-codes-panel";
import { HubStatusPill } from "~/components/enrollment/hub-status-pill";
import { Forbidden } from "~/components/forbidden";
import { formatDate, formatDateTime, weekdayNames } from "~/lib/format";
import { isApiRefusal, serverApi } from "~/server/api";
import { requireSignedIn } from "~/server/guards";
import { WideTable } from "~/components/wide-table";

export const metadata: Metadata = { title: "Course" };

export default async function CourseOverviewPage({
  params,
}: {
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  await requireSignedIn(`/courses/${encodeURIComponent(slug)}`);
  let overview: AppRouterOutputs["enrollment"]["overview"];
  try {
    overview = await (await serverApi()).enrollment.overview({ courseSlug: slug });
  } catch (error) {
    if (isApiRefusal(error, ["BAD_REQUEST", "NOT_FOUND", "FORBIDDEN"]))
      return <Forbidden what="see this course's staff pages" />;
    throw error;
  }
  const { course, enrollment } = overview;
  // The course's spend, for those who may see it (instructors, the institution's admins, ops).
  const spend = await (
    await serverApi()
  ).credits
    .courseSpend({ courseSlug: slug })
    .catch((error: unknown) => {
      if (isApiRefusal(error, ["FORBIDDEN", "NOT_FOUND"])) return null;
      throw error;
    });
  return (
    <div className="space-y-10">
      <section aria-labelledby="hubs-heading">
        <h2 id="hubs-heading" className="text-xl font-semibold">
          Hubs
        </h2>
        {overview.hubs.length === 0 ? (
          <p className="mt-2 text-slate-600">This course has no hub yet.</p>
        ) : (
          <WideTable className="mt-3 w-full rounded-lg border border-slate-200 bg-white text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="p-3">Hub</th>
                <th className="p-3">Status</th>
                <th className="p-3">Where</th>
                <th className="p-3">Students placed</th>
                <th className="p-3">Last activity</th>
              </tr>
            </thead>
            <tbody>
              {overview.hubs.map((hub) => (
                <tr key={hub.slug} className="border-t border-slate-100" data-testid="course-hub">
                  <td className="p-3 font-medium">
                    {overview.canReadHubs ? (
                      <a
                        href={`/ops/hubs/${encodeURIComponent(hub.slug)}`}
                        className="text-brand-700 hover:underline"
                      >
                        {hub.slug}
                      </a>
                    ) : (
                      hub.slug
                    )}
                  </td>
                  <td className="p-3">
                    <HubStatusPill
                      label={hub.statusDescription.label}
                      tone={hub.statusDescription.tone}
                    />
                    {hub.status === "READY" ? null : (
                      <p className="mt-1 max-w-xs text-xs text-slate-600">
                        {hub.statusDescription.explanation}
                      </p>
                    )}
                  </td>
                  <td className="p-3">{hub.location}</td>
                  <td className="p-3">{hub.placedCount}</td>
                  <td className="p-3">
                    {hub.lastActivityAt ? formatDateTime(hub.lastActivityAt) : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </WideTable>
        )}
      </section>

      {spend ? <CourseSpend allocations={spend.allocations} /> : null}

      <section aria-labelledby="enrollment-heading">
        <h2 id="enrollment-heading" className="text-xl font-semibold">
          Enrollment
        </h2>
        <dl className="mt-3 grid grid-cols-2 gap-4 md:grid-cols-4" data-testid="enrollment-counts">
          {[
            ["Students", enrollment.students],
            ["Teaching assistants", enrollment.tas],
            ["Instructors", enrollment.instructors],
            ["Expected", course.expectedEnrollment],
          ].map(([label, value]) => (
            <div key={label} className="rounded-lg border border-slate-200 bg-white p-4">
              <dt className="text-sm text-slate-500">{label}</dt>
              <dd className="text-2xl font-semibold">{value}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-2 text-sm text-slate-500">
          Runs {formatDate(course.startDate)} – {formatDate(course.endDate)}
        </p>
      </section>

      <CourseSchedule schedule={overview.schedule} />

      {overview.canManage ? (
        <JoinCodesPanel courseSlug={course.slug} codes={overview.joinCodes} />
      ) : null}
    </div>
  );
}

function clockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** The class meetings and important dates given in the request, in the course's own time zone. */
function CourseSchedule({
  schedule,
}: {
  schedule: AppRouterOutputs["enrollment"]["overview"]["schedule"];
}) {
  const inCourseTime = (date: Date) =>
    date.toLocaleString("en-US", {
      timeZone: schedule.timezone,
      weekday: "short",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
  return (
    <section aria-labelledby="schedule-heading" data-testid="course-schedule">
      <h2 id="schedule-heading" className="text-xl font-semibold">
        Schedule
      </h2>
      <p className="text-sm text-slate-500">Times in {schedule.timezone}.</p>
      <div className="mt-3 grid gap-4 md:grid-cols-2">
        <ScheduleCard
          title="Weekly meetings"
          items={schedule.meetings.map(
            (meeting) =>
              `${meeting.label}: ${weekdayNames[meeting.dayOfWeek - 1]} ${clockTime(meeting.startMinute)}–${clockTime(meeting.startMinute + meeting.durationMinutes)}`,
          )}
        />
        <ScheduleCard
          title="Important dates"
          items={schedule.importantDates.map(
            (date) =>
              `${date.title} (${date.kind.toLowerCase()}): ${inCourseTime(date.startsAt)}${date.endsAt ? ` – ${inCourseTime(date.endsAt)}` : ""}`,
          )}
        />
      </div>
    </section>
  );
}

function ScheduleCard({ title, items }: { title: string; items: string[] }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <h3 className="font-medium">{title}</h3>
      {items.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">None given.</p>
      ) : (
        <ul className="mt-1 space-y-1 text-sm">
          {items.map((item, index) => (
            <li key={index}>{item}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
