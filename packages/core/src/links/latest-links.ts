import { Prisma, type DatabaseClient, type LinkVerification } from "@hubfed/db";

export interface LatestLink {
  code: string;
  title: string;
  interface: "LAB" | "CLASSIC" | "RSTUDIO" | "SHINY";
  verification: LinkVerification;
  createdAt: Date;
  /** The portal path students open: /i/<code>. */
  shortPath: string;
}

/** A link as latestLinksLateral's JSON carries it. */
type LatestLinkJson = Omit<LatestLink, "shortPath" | "createdAt"> & { createdAt: string };

/**
 * What "a course's latest links" means, as SQL to join into a query about courses: a LATERAL
 * subquery with one column, `latestLinks`, the newest `perCourse` live (unarchived) links of the
 * course whose id is `courseId`, as a JSON array, newest first. It walks the ContentLink
 * (courseId, createdAt) index; read it with latestLinksFrom. Joined into My hubs' own query, the
 * links cost no statement of their own.
 */
export function latestLinksLateral(courseId: Prisma.Sql, perCourse: number): Prisma.Sql {
  return Prisma.sql`LEFT JOIN LATERAL (
      SELECT COALESCE(json_agg(json_build_object(
               'code', link."code", 'title', link."title", 'interface', link."interface",
               'verification', link."verification",
               'createdAt', to_char(link."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
             ) ORDER BY link."createdAt" DESC), '[]'::json) AS "latestLinks"
      FROM (
        SELECT "code", "title", "interface", "verification", "createdAt"
        FROM "ContentLink"
        WHERE "courseId" = ${courseId} AND "archivedAt" IS NULL
        ORDER BY "createdAt" DESC
        LIMIT ${Math.max(0, Math.min(perCourse, 50))}
      ) AS link
    ) AS "courseLinks" ON true`;
}

/** The links of latestLinksLateral's column (times are stored as UTC, as Prisma writes them). */
export function latestLinksFrom(json: unknown): LatestLink[] {
  return ((json ?? []) as LatestLinkJson[]).map((link) => ({
    code: link.code,
    title: link.title,
    interface: link.interface,
    verification: link.verification,
    createdAt: new Date(link.createdAt),
    shortPath: `/i/${link.code}`,
  }));
}

/** The newest live links of each course, by course id: one query whatever the number of courses. */
export async function latestLinksByCourse(
  db: DatabaseClient,
  courseIds: readonly string[],
  perCourse: number,
): Promise<Map<string, LatestLink[]>> {
  if (courseIds.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ courseId: string; latestLinks: unknown }>>`
    SELECT course."id" AS "courseId", "courseLinks"."latestLinks"
    FROM unnest(${[...courseIds]}::text[]) AS course("id")
    ${latestLinksLateral(Prisma.sql`course."id"`, perCourse)}`;
  return new Map(rows.map((row) => [row.courseId, latestLinksFrom(row.latestLinks)]));
}
