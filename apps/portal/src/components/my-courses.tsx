"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "~/trpc/react";

const roleLabels = {
  INSTRUCTOR: "Instructor",
  TA: "Teaching assistant",
  STUDENT: "Student",
} as const;

/** The signed-in person's roles and courses, loaded through tRPC (`me.get`). */
export function MyCourses() {
  const trpc = useTRPC();
  const me = useQuery(trpc.me.get.queryOptions());
  if (me.isPending) return <p className="text-slate-500">Loading your courses…</p>;
  if (me.isError)
    return (
      <p role="alert" className="text-red-700">
        Could not load your courses: {me.error.message}
      </p>
    );
  // A newcomer has neither: the home page's "Join a course" and "Request a hub" are their way in.
  if (me.data.roles.length === 0 && me.data.courses.length === 0) return null;
  return (
    <section aria-labelledby="my-courses">
      <p className="text-sm text-slate-600" data-testid="my-roles">
        Your roles: {me.data.roles.join(", ")}
      </p>
      <h2 id="my-courses" className="mt-6 text-xl font-semibold">
        My courses
      </h2>
      {me.data.courses.length === 0 ? (
        <p className="mt-2 text-slate-600">You are not enrolled in any course.</p>
      ) : (
        <ul className="mt-3 grid gap-3 md:grid-cols-2" data-testid="my-courses-list">
          {me.data.courses.map((course) => (
            <li
              key={course.slug}
              className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
            >
              <p className="font-semibold">
                {course.role === "STUDENT" ? (
                  `${course.code}: ${course.title}`
                ) : (
                  <Link
                    href={`/courses/${encodeURIComponent(course.slug)}`}
                    className="text-brand-700 hover:underline"
                  >
                    {course.code}: {course.title}
                  </Link>
                )}
              </p>
              <p className="text-sm text-slate-500">
                {course.institution} · {course.term} · {roleLabels[course.role]}
              </p>
              {course.role === "STUDENT" ? (
                <Link
                  href={`/courses/${encodeURIComponent(course.slug)}/assignments`}
                  className="mt-2 inline-block text-sm text-brand-700 hover:underline"
                >
                  Assignments
                </Link>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
