import type { DatabaseClient } from "@hubfed/db";
import type { Actor } from "./permissions";

const courseRoleNames = { INSTRUCTOR: "instructor", TA: "ta", STUDENT: "student" } as const;

/** Loads the roles a user holds, or undefined when the user no longer exists. */
export async function loadActor(db: DatabaseClient, userId: string): Promise<Actor | undefined> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      isOperator: true,
      institutionMemberships: { where: { role: "ADMIN" }, select: { institutionId: true } },
      enrollments: {
        select: { courseId: true, role: true, course: { select: { institutionId: true } } },
      },
    },
  });
  if (!user) return undefined;
  return {
    userId: user.id,
    isOperator: user.isOperator,
    adminOfInstitutionIds: new Set(
      user.institutionMemberships.map((membership) => membership.institutionId),
    ),
    courseRoles: new Map(
      user.enrollments.map((enrollment) => [
        enrollment.courseId,
        { role: courseRoleNames[enrollment.role], institutionId: enrollment.course.institutionId },
      ]),
    ),
  };
}
