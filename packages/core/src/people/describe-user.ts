import type { DatabaseClient } from "@hubfed/db";
import { AppError } from "../errors";
import { courseSummarySelect } from "../courses/course-summary";

/** A signed-in person's profile and the courses they take part in. */
export async function describeUser(db: DatabaseClient, userId: string) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      name: true,
      email: true,
      username: true,
      enrollments: {
        orderBy: { course: { startDate: "desc" } },
        select: {
          role: true,
          course: { select: courseSummarySelect },
        },
      },
    },
  });
  if (!user) throw new AppError("NOT_FOUND", "User not found");
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    username: user.username,
    courses: user.enrollments.map(({ role, course }) => ({
      slug: course.slug,
      code: course.code,
      title: course.title,
      term: course.term,
      institution: course.institution.name,
      role,
    })),
  };
}
