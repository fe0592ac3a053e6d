import type { Metadata } from "next";
import { CoursePlanSection } from "~/components/capacity/course-plan-section";
import { Forbidden } from "~/components/forbidden";
import { CapacityWindowsPanel } from "~/components/schedule/capacity-windows-panel";
import { ImportantDatesPanel } from "~/components/schedule/important-dates-panel";
import { MeetingsEditor } from "~/components/schedule/meetings-editor";
import { serverApi } from "~/server/api";
import { courseForStaff } from "~/server/course-access";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Schedule" };

/**
 * The course calendar after approval: weekly meetings, important dates and
 * capacity windows. Staff read it; instructors edit it; ops decide windows
 * beyond the hub's envelope here or on /ops/capacity.
 */
export default async function SchedulePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireSignedIn(`/courses/${encodeURIComponent(slug)}/schedule`);
  const staff = await courseForStaff(slug);
  if (!staff) return <Forbidden what="see this course's schedule" />;
  const api = await serverApi();
  const [schedule, plan] = await Promise.all([
    api.capacity.schedule({ courseSlug: slug }),
    api.capacity.coursePlan({ courseSlug: slug }),
  ]);
  const { course, canEdit } = schedule;
  return (
    <div className="space-y-10">
      <p className="text-sm text-slate-600" data-testid="schedule-summary">
        {course.startDate} to {course.endDate} · all times in{" "}
        <strong data-testid="course-time-zone">{course.timezone}</strong> ·{" "}
        {course.expectedConcurrentUsers} students expected at once
        {canEdit ? "" : " · read only"}
      </p>
      <MeetingsEditor
        courseSlug={course.slug}
        timeZone={course.timezone}
        meetings={schedule.meetings}
        canEdit={canEdit}
      />
      <ImportantDatesPanel
        courseSlug={course.slug}
        timeZone={course.timezone}
        dates={schedule.importantDates}
        canEdit={canEdit}
      />
      <CoursePlanSection plan={plan} />
      <CapacityWindowsPanel schedule={schedule} />
    </div>
  );
}
