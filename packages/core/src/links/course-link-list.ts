import type { Redis } from "ioredis";
import { can, type Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient } from "@hubfed/db";
import { chooseHub, routableHubSelect } from "../hubs/routing";
import { unavailableLinkInterfacesOf } from "./interfaces";
import { buildNbgitpullerUrl, hubBaseUrl, nbgitpullerTargetOf } from "./nbgitpuller";
import { findCourseForStaff } from "./staff-access";

// A course's links as its staff see them on the Links page: each with its
// copyable URLs and its clicks of the last 30 days.

const clickWindowDays = 30;

function utcDayStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

export interface ListCourseLinksOptions {
  /** When given, today's and yesterday's clicks not yet folded are read from Redis too. */
  redis?: Pick<Redis, "hmget">;
  now?: Date;
}

export async function listCourseLinks(
  db: DatabaseClient,
  actor: Actor,
  courseSlug: string,
  options: ListCourseLinksOptions = {},
) {
  const now = options.now ?? new Date();
  const course = await findCourseForStaff(db, actor, courseSlug, "course.read");
  const details = await db.course.findUniqueOrThrow({
    where: { id: course.id },
    select: {
      title: true,
      hubs: { select: routableHubSelect },
    },
  });
  const firstDay = new Date(utcDayStart(now).getTime() - (clickWindowDays - 1) * 86_400_000);
  const links = await db.contentLink.findMany({
    // Assignments' links are listed with their assignments.
    where: { courseId: course.id, assignmentId: null },
    orderBy: [{ archivedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    include: {
      createdBy: { select: { name: true, email: true } },
      clicks: { where: { day: { gte: firstDay } }, orderBy: { day: "asc" } },
    },
  });
  const totals = await db.contentLinkDailyClicks.groupBy({
    by: ["linkId"],
    where: { linkId: { in: links.map((link) => link.id) } },
    _sum: { clicks: true },
  });
  const totalByLink = new Map(totals.map((row) => [row.linkId, row._sum.clicks ?? 0]));

  // Running totals of the days not folded yet (the fold keeps the larger number).
  const liveByDay = new Map<string, Map<string, number>>();
  if (options.redis && links.length > 0) {
    for (const day of [new Date(utcDayStart(now).getTime() - 86_400_000), utcDayStart(now)]) {
      const key = day.toISOString().slice(0, 10);
      const values = await options.redis.hmget(
        `hubfed:link-clicks:${key}`,
        ...links.map((link) => link.id),
      );
      liveByDay.set(
        key,
        new Map(links.map((link, index) => [link.id, Number(values[index] ?? 0) || 0])),
      );
    }
  }

  // The copyable nbgitpuller URL is for the hub most students land on.
  const primaryHub = chooseHub(details.hubs, null, "");
  const primaryBase = primaryHub?.hub.url ? hubBaseUrl(primaryHub.hub.url) : undefined;

  return {
    course: {
      slug: course.slug,
      code: course.code,
      title: details.title,
      term: course.term,
      allowList: course.contentRepositoryAllowList,
      /** Left out of the link builder, each with the reason it gives. */
      unavailableInterfaces: await unavailableLinkInterfacesOf(db, course.id),
    },
    canPublish: can(actor, "link.publish", {
      courseId: course.id,
      institutionId: course.institutionId,
    }),
    canManageAllowList: can(actor, "course.content.manage", {
      courseId: course.id,
      institutionId: course.institutionId,
    }),
    hubs: details.hubs.map((hub) => ({ slug: hub.slug, status: hub.status, url: hub.url })),
    links: links.map((link) => {
      const byDay = new Map(
        link.clicks.map((row) => [row.day.toISOString().slice(0, 10), row.clicks]),
      );
      let total = totalByLink.get(link.id) ?? 0;
      for (const [day, counts] of liveByDay) {
        const live = counts.get(link.id) ?? 0;
        const stored = byDay.get(day) ?? 0;
        if (live > stored) {
          total += live - stored;
          byDay.set(day, live);
        }
      }
      const daily = Array.from({ length: clickWindowDays }, (_, index) => {
        const day = new Date(firstDay.getTime() + index * 86_400_000).toISOString().slice(0, 10);
        return { day, clicks: byDay.get(day) ?? 0 };
      });
      return {
        id: link.id,
        code: link.code,
        title: link.title,
        repositoryUrl: link.repositoryUrl,
        branch: link.branch,
        path: link.path,
        interface: link.interface,
        targetPath: link.targetPath,
        verification: link.verification,
        verificationMessage: link.verificationMessage,
        verifiedAt: link.verifiedAt,
        archivedAt: link.archivedAt,
        createdAt: link.createdAt,
        createdBy: link.createdBy?.name ?? link.createdBy?.email ?? null,
        shortPath: `/i/${link.code}`,
        nbgitpullerUrl: primaryBase
          ? buildNbgitpullerUrl(primaryBase, nbgitpullerTargetOf(link))
          : null,
        clicks: {
          total,
          last30Days: daily.reduce((sum, entry) => sum + entry.clicks, 0),
          daily,
        },
      };
    }),
  };
}
