import { Prisma, type CourseRole, type DatabaseClient, type HubStatus } from "@hubfed/db";
import { latestLinksFrom, latestLinksLateral, type LatestLink } from "../links/latest-links";
import { retiredHubStatuses } from "../hubs/lifecycle";
import { chooseHub, isHubLaunchable } from "../hubs/routing";
import { describeHubStatus, type HubStatusDescription } from "../hubs/status-description";

/** How many of a course's latest content links My hubs shows. */
export const linksPerCourseOnMyHubs = 3;

export interface MyHub {
  course: {
    slug: string;
    code: string;
    title: string;
    term: string;
    institution: string;
  };
  role: CourseRole;
  hub: {
    slug: string;
    status: HubStatus;
    statusDescription: HubStatusDescription;
    region: string;
    lastActivityAt: Date | null;
    isLaunchable: boolean;
    /** On the demo's simulated cluster: provisioned for real, nothing answers at its address. */
    isSimulated: boolean;
  } | null;
  /** The portal route that checks enrollment and sends the person to their hub. */
  launchPath: string;
  lastLaunchedAt: Date | null;
  latestLinks: LatestLink[];
}

interface EnrollmentHubRow {
  enrollmentRole: CourseRole;
  stickyHubId: string | null;
  lastLaunchedAt: Date | null;
  courseId: string;
  courseSlug: string;
  courseCode: string;
  courseTitle: string;
  courseTerm: string;
  courseStartDate: Date;
  institutionName: string;
  hubId: string | null;
  hubSlug: string | null;
  hubStatus: HubStatus | null;
  hubUrl: string | null;
  hubWeight: number | null;
  hubLastActivityAt: Date | null;
  regionName: string | null;
  clusterIsSimulated: boolean | null;
  /** The course's latest links (latestLinksLateral's JSON). */
  latestLinks: unknown;
}

/**
 * Every course a person is enrolled in, with the hub they would be sent to,
 * its status, and the course's latest content links, in one indexed statement
 * whatever the number of enrollments (no query per course): enrollments ⋈
 * course ⋈ institution ⟕ live hubs ⋈ cluster ⋈ region, driven by the
 * Enrollment (userId, courseId) unique index and Hub's courseId index, with
 * each course's latest links as a LATERAL top-N on ContentLink (courseId,
 * createdAt). On the students' page every statement counts: a round trip to
 * PostgreSQL cost more of the page's CPU than any query's own work
 * (docs/benchmarks.md, "My hubs").
 *
 * Ordered by what the person used last (their last launch), then by the
 * newest course, then by course code, so the hub they use is at the top.
 */
export async function listMyHubs(
  db: DatabaseClient,
  userId: string,
  { linksPerCourse = linksPerCourseOnMyHubs }: { linksPerCourse?: number } = {},
): Promise<MyHub[]> {
  const rows = await db.$queryRaw<EnrollmentHubRow[]>`
    SELECT e.role AS "enrollmentRole", e."hubId" AS "stickyHubId",
           e."lastLaunchedAt" AS "lastLaunchedAt",
           c.id AS "courseId", c.slug AS "courseSlug", c.code AS "courseCode",
           c.title AS "courseTitle", c.term AS "courseTerm", c."startDate" AS "courseStartDate",
           i.name AS "institutionName",
           h.id AS "hubId", h.slug AS "hubSlug", h.status AS "hubStatus", h.url AS "hubUrl",
           h.weight AS "hubWeight", h."lastActivityAt" AS "hubLastActivityAt",
           r.name AS "regionName", cl."isSimulated" AS "clusterIsSimulated",
           "courseLinks"."latestLinks"
    FROM "Enrollment" e
    JOIN "Course" c ON c.id = e."courseId"
    JOIN "Institution" i ON i.id = c."institutionId"
    LEFT JOIN "Hub" h ON h."courseId" = c.id
      AND h.status::text NOT IN (${retiredHubStatuses[0]}, ${retiredHubStatuses[1]})
    LEFT JOIN "Cluster" cl ON cl.id = h."clusterId"
    LEFT JOIN "Region" r ON r.id = cl."regionId"
    ${latestLinksLateral(Prisma.sql`c.id`, linksPerCourse)}
    WHERE e."userId" = ${userId}`;

  const byCourse = new Map<string, EnrollmentHubRow[]>();
  for (const row of rows) {
    const courseRows = byCourse.get(row.courseId);
    if (courseRows) courseRows.push(row);
    else byCourse.set(row.courseId, [row]);
  }

  const hubs = [...byCourse.values()].map((courseRows) => {
    const first = courseRows[0] as EnrollmentHubRow;
    const candidates = courseRows.flatMap((row) =>
      row.hubId && row.hubSlug && row.hubStatus
        ? [
            {
              row,
              id: row.hubId,
              slug: row.hubSlug,
              status: row.hubStatus,
              url: row.hubUrl,
              weight: row.hubWeight ?? 0,
              cluster: { isSimulated: row.clusterIsSimulated ?? false },
            },
          ]
        : [],
    );
    const choice = chooseHub(candidates, first.stickyHubId, userId);
    const chosen = candidates.find((candidate) => candidate.id === choice?.hub.id)?.row;
    return {
      startDate: first.courseStartDate,
      myHub: {
        course: {
          slug: first.courseSlug,
          code: first.courseCode,
          title: first.courseTitle,
          term: first.courseTerm,
          institution: first.institutionName,
        },
        role: first.enrollmentRole,
        hub:
          chosen?.hubSlug && chosen.hubStatus
            ? {
                slug: chosen.hubSlug,
                status: chosen.hubStatus,
                statusDescription: describeHubStatus(chosen.hubStatus, {
                  isSimulated: chosen.clusterIsSimulated ?? false,
                }),
                region: chosen.regionName ?? "",
                lastActivityAt: chosen.hubLastActivityAt,
                isLaunchable: isHubLaunchable({
                  status: chosen.hubStatus,
                  url: chosen.hubUrl,
                  cluster: { isSimulated: chosen.clusterIsSimulated ?? false },
                }),
                isSimulated: chosen.clusterIsSimulated ?? false,
              }
            : null,
        launchPath: `/courses/${encodeURIComponent(first.courseSlug)}/launch`,
        lastLaunchedAt: first.lastLaunchedAt,
        latestLinks: latestLinksFrom(first.latestLinks),
      } satisfies MyHub,
    };
  });

  return hubs
    .sort(
      (a, b) =>
        (b.myHub.lastLaunchedAt?.getTime() ?? -Infinity) -
          (a.myHub.lastLaunchedAt?.getTime() ?? -Infinity) ||
        b.startDate.getTime() - a.startDate.getTime() ||
        a.myHub.course.code.localeCompare(b.myHub.course.code),
    )
    .map((entry) => entry.myHub);
}
