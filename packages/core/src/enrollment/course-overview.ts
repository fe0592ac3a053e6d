import { can, type Actor } from "@hubfed/auth/permissions";
import type { CourseRole, DatabaseClient } from "@hubfed/db";
import { describeHubStatusForStaff } from "../hubs/status-description";
import { loadCourseFor } from "./access";
import { listJoinCodes } from "./join-codes";

// The course page's overview lives with enrollment, not in courses/: it counts
// the course's enrollments, checks access with enrollment's loadCourseFor and
// lists the join codes, and courses sits below enrollment in the domain order.

/** Course staff's overview: the course, its hubs, enrollment counts, and (for managers) join codes. */
export async function getCourseOverview(db: DatabaseClient, actor: Actor, courseSlug: string) {
  const course = await loadCourseFor(db, actor, courseSlug, "course.read");
  const scope = { courseId: course.id, institutionId: course.institutionId };
  const canManage = can(actor, "enrollment.manage", scope);
  const [details, hubs, counts] = await Promise.all([
    db.course.findUniqueOrThrow({
      where: { id: course.id },
      select: {
        startDate: true,
        endDate: true,
        expectedEnrollment: true,
        timezone: true,
        meetings: {
          orderBy: [{ dayOfWeek: "asc" }, { startMinute: "asc" }],
          select: { label: true, dayOfWeek: true, startMinute: true, durationMinutes: true },
        },
        importantDates: {
          orderBy: { startsAt: "asc" },
          select: { kind: true, title: true, startsAt: true, endsAt: true },
        },
      },
    }),
    db.hub.findMany({
      where: { courseId: course.id },
      orderBy: { createdAt: "asc" },
      select: {
        slug: true,
        status: true,
        url: true,
        weight: true,
        lastActivityAt: true,
        cluster: { select: { displayName: true, region: { select: { name: true } } } },
        _count: { select: { enrollments: true } },
      },
    }),
    db.enrollment.groupBy({
      by: ["role"],
      where: { courseId: course.id },
      _count: { _all: true },
    }),
  ]);
  const countOf = (role: CourseRole) =>
    counts.find((entry) => entry.role === role)?._count._all ?? 0;
  return {
    course: {
      ...course,
      startDate: details.startDate,
      endDate: details.endDate,
      expectedEnrollment: details.expectedEnrollment,
    },
    // What the request asked for, kept on the course: the staff see it after approval.
    schedule: {
      timezone: details.timezone,
      meetings: details.meetings,
      importantDates: details.importantDates,
    },
    canManage,
    canReadHubs: can(actor, "hub.read", scope),
    hubs: hubs.map((hub) => ({
      slug: hub.slug,
      status: hub.status,
      statusDescription: describeHubStatusForStaff(hub.status),
      url: hub.url,
      weight: hub.weight,
      lastActivityAt: hub.lastActivityAt,
      location: `${hub.cluster.region.name} · ${hub.cluster.displayName}`,
      placedCount: hub._count.enrollments,
    })),
    enrollment: {
      students: countOf("STUDENT"),
      tas: countOf("TA"),
      instructors: countOf("INSTRUCTOR"),
    },
    joinCodes: canManage ? await listJoinCodes(db, actor, courseSlug) : [],
  };
}
