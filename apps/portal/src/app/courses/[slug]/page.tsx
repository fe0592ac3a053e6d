import type { Metadata } from "next";
import { getCourseOverview } from "@hubfed/core";
import { JoinCodesPanel } from "~/components/enrolment/join-codes-panel";
import { HubStatusPill } from "~/components/enrolment/hub-status-pill";
import { Forbidden } from "~/components/forbidden";
import { formatDate, formatDateTime } from "~/lib/format";
import { courseForStaff } from "~/server/course-access";
import { requireSignedIn } from "~/server/guards";
import { services } from "~/server/services";

export const metadata: Metadata = { title: "Course" };

export default async function CourseOverviewPage({
  params,
}: {
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const actor = await requireSignedIn(`/courses/${encodeURIComponent(slug)}`);
  if (!(await courseForStaff(actor, slug)))
    return <Forbidden what="see this course's staff pages" />;
  const overview = await getCourseOverview(services().db, actor, slug);
  const { course, enrolment } = overview;
  return (
    <div className="space-y-10">
      <section aria-labelledby="hubs-heading">
        <h2 id="hubs-heading" className="text-xl font-semibold">
          Hubs
        </h2>
        {overview.hubs.length === 0 ? (
          <p className="mt-2 text-slate-600">This course has no hub yet.</p>
        ) : (
          <table className="mt-3 w-full rounded-lg border border-slate-200 bg-white text-sm">
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
                      explanation={hub.statusReason ?? hub.statusDescription.explanation}
                    />
                  </td>
                  <td className="p-3">{hub.location}</td>
                  <td className="p-3">{hub.placedCount}</td>
                  <td className="p-3">
                    {hub.lastActivityAt ? formatDateTime(hub.lastActivityAt) : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="enrolment-heading">
        <h2 id="enrolment-heading" className="text-xl font-semibold">
          Enrolment
        </h2>
        <dl className="mt-3 grid grid-cols-2 gap-4 md:grid-cols-4" data-testid="enrolment-counts">
          {[
            ["Students", enrolment.students],
            ["Teaching assistants", enrolment.tas],
            ["Instructors", enrolment.instructors],
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

      {overview.canManage ? (
        <JoinCodesPanel courseSlug={course.slug} codes={overview.joinCodes} />
      ) : null}
    </div>
  );
}
