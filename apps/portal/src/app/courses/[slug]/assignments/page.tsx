import type { Metadata } from "next";
import type { AppRouterOutputs } from "@hubfed/api";
import { Forbidden } from "~/components/forbidden";
import { AssignmentForm } from "~/components/grading/assignment-form";
import { AssignmentTable } from "~/components/grading/assignment-table";
import { StudentAssignments } from "~/components/grading/student-assignments";
import { timeZoneNames } from "~/components/grading/time-zones";
import { isApiRefusal, serverApi } from "~/server/api";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Assignments" };
export const dynamic = "force-dynamic";

/** The course's autograded assignments (SPEC §4): staff manage them, students find theirs. */
export default async function AssignmentsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireSignedIn(`/courses/${encodeURIComponent(slug)}/assignments`);
  let data: AppRouterOutputs["grading"]["list"];
  try {
    data = await (await serverApi()).grading.list({ courseSlug: slug });
  } catch (error) {
    if (isApiRefusal(error, ["BAD_REQUEST", "NOT_FOUND", "FORBIDDEN"]))
      return <Forbidden what="see this course's assignments" />;
    throw error;
  }
  if (!data.canManage)
    return (
      <div className="space-y-6">
        <header>
          <p className="text-sm text-slate-500">{data.course.code}</p>
          <h1 className="text-3xl font-bold">Assignments</h1>
          <p className="mt-1 text-slate-600">{data.course.title}</p>
        </header>
        <StudentAssignments
          courseSlug={data.course.slug}
          assignments={data.assignments}
          now={new Date()}
        />
      </div>
    );
  return (
    <div className="space-y-10">
      <section aria-labelledby="assignments-heading" className="space-y-3">
        <h2 id="assignments-heading" className="text-xl font-semibold">
          Assignments
        </h2>
        <AssignmentTable courseSlug={data.course.slug} assignments={data.assignments} />
      </section>
      <AssignmentForm
        courseSlug={data.course.slug}
        courseTimeZone={data.course.timeZone}
        timeZones={timeZoneNames()}
      />
    </div>
  );
}
