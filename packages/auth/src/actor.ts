import { Prisma, type DatabaseClient } from "@hubfed/db";
import type { Actor } from "./permissions";

const courseRoleNames = { INSTRUCTOR: "instructor", TA: "ta", STUDENT: "student" } as const;

/** A row with actorColumns: what actorFromRow reads. */
export interface ActorRow {
  id: string;
  isOperator: boolean;
  adminOf: string[];
  enrollments: Array<{
    courseId: string;
    role: keyof typeof courseRoleNames;
    institutionId: string;
  }>;
}

/**
 * An actor's roles as columns of a statement over `"User" u`: the user, the institutions they
 * administer and their enrollments with each course's institution, aggregated as JSON. One
 * statement rather than the four a nested Prisma read issues (docs/benchmarks.md, "My hubs"); a
 * statement that needs more about the user (the portal's header) adds its columns beside these.
 */
export const actorColumns = Prisma.sql`u.id, u."isOperator",
      COALESCE((SELECT json_agg(m."institutionId") FROM "InstitutionMembership" m
                WHERE m."userId" = u.id AND m.role = 'ADMIN'), '[]') AS "adminOf",
      COALESCE((SELECT json_agg(json_build_object('courseId', e."courseId", 'role', e.role,
                                                  'institutionId', c."institutionId"))
                FROM "Enrollment" e JOIN "Course" c ON c.id = e."courseId"
                WHERE e."userId" = u.id), '[]') AS enrollments`;

export function actorFromRow(user: ActorRow): Actor {
  return {
    userId: user.id,
    isOperator: user.isOperator,
    adminOfInstitutionIds: new Set(user.adminOf),
    courseRoles: new Map(
      user.enrollments.map((enrollment) => [
        enrollment.courseId,
        { role: courseRoleNames[enrollment.role], institutionId: enrollment.institutionId },
      ]),
    ),
  };
}

/**
 * Loads the roles a user holds, or undefined when the user no longer exists. Every procedure
 * starts here (pages start at the portal's viewer, which reads the same columns).
 */
export async function loadActor(db: DatabaseClient, userId: string): Promise<Actor | undefined> {
  const [user] = await db.$queryRaw<ActorRow[]>`
    SELECT ${actorColumns} FROM "User" u WHERE u.id = ${userId}`;
  return user ? actorFromRow(user) : undefined;
}
