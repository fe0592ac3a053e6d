import type { ReactNode } from "react";
import { courseForStaff } from "~/server/course-access";
import { requireSignedIn } from "~/server/guards";
import { CourseTabs } from "./course-tabs";

/**
 * Course staff see the course header and its tabs. Students reach pages
 * under /courses/<slug> too (the launch route), and get them without the
 * staff header; each page checks its own permission.
 */
export default async function CourseLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  await requireSignedIn(`/courses/${encodeURIComponent(slug)}`);
  const staff = await courseForStaff(slug);
  if (!staff) return <>{children}</>;
  const { course } = staff;
  return (
    <div>
      <header>
        <p className="text-sm text-slate-500">
          {course.institutionName} · {course.term}
        </p>
        <h1 className="text-3xl font-bold" data-testid="course-heading">
          {course.code}: {course.title}
        </h1>
        <CourseTabs slug={course.slug} />
      </header>
      <div className="mt-8">{children}</div>
    </div>
  );
}
