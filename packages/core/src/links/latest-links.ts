import type { DatabaseClient, LinkVerification } from "@hubfed/db";

export interface LatestLink {
  code: string;
  title: string;
  interface: "LAB" | "CLASSIC" | "RSTUDIO" | "SHINY";
  verification: LinkVerification;
  createdAt: Date;
  /** The portal path students open: /i/<code>. */
  shortPath: string;
}

/**
 * The newest live links of each course, for My hubs: one query whatever the
 * number of courses (a lateral join walking the (courseId, createdAt) index).
 */
export async function latestLinksByCourse(
  db: DatabaseClient,
  courseIds: readonly string[],
  perCourse: number,
): Promise<Map<string, LatestLink[]>> {
  const result = new Map<string, LatestLink[]>(courseIds.map((id) => [id, []]));
  if (courseIds.length === 0 || perCourse <= 0) return result;
  const rows = await db.$queryRaw<Array<Omit<LatestLink, "shortPath"> & { courseId: string }>>`
    SELECT course."id" AS "courseId", link."code", link."title", link."interface"::text AS "interface",
           link."verification"::text AS "verification", link."createdAt"
    FROM unnest(${[...courseIds]}::text[]) AS course("id")
    CROSS JOIN LATERAL (
      SELECT "code", "title", "interface", "verification", "createdAt"
      FROM "ContentLink"
      WHERE "courseId" = course."id" AND "archivedAt" IS NULL
      ORDER BY "createdAt" DESC
      LIMIT ${Math.min(perCourse, 50)}
    ) AS link`;
  for (const row of rows)
    result.get(row.courseId)?.push({
      code: row.code,
      title: row.title,
      interface: row.interface,
      verification: row.verification,
      createdAt: row.createdAt,
      shortPath: `/i/${row.code}`,
    });
  return result;
}
