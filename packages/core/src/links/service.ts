import type { Redis } from "ioredis";
import { can, type Actor } from "@hubfed/auth/permissions";
import { Prisma, type DatabaseClient, type LinkVerification, recordAuditEvent } from "@hubfed/db";
import { notify } from "../audit";
import { AppError, fieldErrorsOf } from "../errors";
import { generateContentLinkCode } from "./link-codes";
import { chooseHub, routableHubSelect } from "./hub-choice";
import { buildNbgitpullerUrl, hubBaseUrl, nbgitpullerTargetOf } from "./nbgitpuller";
import { consumeRateLimit, linkCreationRateLimit } from "./rate-limit";
import { interactCache } from "./resolve";
import { normaliseRepositoryUrl, validateContentLink } from "./validation";
import type { LinkVerifier } from "./verification";

/**
 * Content links (SPEC §8): instructors and TAs publish them, the router
 * serves them at /i/<code>, staff see their clicks. Verification through
 * GitHub happens at publish (a link to something missing is refused, with
 * the field to fix) and periodically (a link whose target disappears is
 * marked BROKEN and its course staff are told).
 */

export interface RequestMetadata {
  ipAddress?: string;
  userAgent?: string;
}

async function findCourseForStaff(
  db: DatabaseClient,
  actor: Actor,
  slug: string,
  action: "link.publish" | "course.read",
) {
  const course = await db.course.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      code: true,
      term: true,
      institutionId: true,
      contentRepositoryAllowList: true,
    },
  });
  // A course one neither takes part in nor may see is, for that person, not there.
  if (
    !course ||
    (!actor.courseRoles.has(course.id) &&
      !can(actor, "course.read", { courseId: course.id, institutionId: course.institutionId }))
  )
    throw new AppError("NOT_FOUND", "Course not found");
  if (!can(actor, action, { courseId: course.id, institutionId: course.institutionId }))
    throw new AppError(
      "FORBIDDEN",
      action === "link.publish"
        ? "Only the course's instructors and TAs publish and archive its links"
        : "Only the course's instructors and TAs see its links and their clicks",
    );
  return course;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** The Redis commands publishing (rate limit) and listing (unfolded clicks) use; ioredis satisfies it. */
export type LinkRedis = Pick<Redis, "multi" | "hmget">;

export interface CreateContentLinkDependencies {
  redis: Pick<Redis, "multi">;
  verifyLink: LinkVerifier;
  requestMetadata?: RequestMetadata;
  now?: Date;
}

export async function createContentLink(
  db: DatabaseClient,
  actor: Actor,
  input: { courseSlug: string; draft: unknown },
  dependencies: CreateContentLinkDependencies,
) {
  const now = dependencies.now ?? new Date();
  const course = await findCourseForStaff(db, actor, input.courseSlug, "link.publish");
  const validation = validateContentLink(input.draft, course.contentRepositoryAllowList);
  if (!validation.success)
    throw new AppError(
      "BAD_REQUEST",
      "Some fields need fixing",
      fieldErrorsOf(validation.error, "input"),
    );
  const link = validation.data;

  // Counted before the GitHub check, so refused attempts count too.
  await consumeRateLimit(dependencies.redis, linkCreationRateLimit, actor.userId, now);

  const check = await dependencies.verifyLink({
    repository: link.repository,
    branch: link.branch,
    path: link.path,
  });
  if (check.outcome === "missing")
    throw new AppError("BAD_REQUEST", "The link points at something that does not exist", {
      [check.field]: [check.message],
    });
  if (check.outcome === "ok" && link.interface === "SHINY" && check.kind === "file")
    throw new AppError("BAD_REQUEST", "Shiny opens an app folder", {
      path: [
        "Shiny links open a folder holding the app (app.R or ui.R and server.R), not a single file.",
      ],
    });
  const verification: {
    verification: LinkVerification;
    verificationMessage: string | null;
    verifiedAt: Date | null;
  } =
    check.outcome === "ok"
      ? { verification: "OK", verificationMessage: null, verifiedAt: now }
      : check.outcome === "not-checkable"
        ? { verification: "UNVERIFIED", verificationMessage: check.message, verifiedAt: now }
        : {
            verification: "UNVERIFIED",
            verificationMessage: `${check.message} It will be checked again.`,
            verifiedAt: null,
          };

  for (let attempt = 0; ; attempt += 1) {
    const code = generateContentLinkCode();
    try {
      const created = await db.$transaction(async (tx) => {
        const row = await tx.contentLink.create({
          data: {
            courseId: course.id,
            code,
            title: link.title,
            repositoryUrl: link.repository.url,
            branch: link.branch,
            path: link.path,
            interface: link.interface,
            targetPath: link.targetPath ?? null,
            createdById: actor.userId,
            ...verification,
          },
        });
        await recordAuditEvent(tx, {
          actorId: actor.userId,
          action: "link.publish",
          subjectType: "ContentLink",
          subjectId: row.id,
          details: {
            course: course.slug,
            code,
            repositoryUrl: row.repositoryUrl,
            branch: row.branch,
            path: row.path,
          },
          requestMetadata: dependencies.requestMetadata,
        });
        return row;
      });
      return {
        id: created.id,
        code: created.code,
        verification: created.verification,
        verificationMessage: created.verificationMessage,
      };
    } catch (error) {
      // A code collision (one in ~10^11 per existing link): draw another.
      if (isUniqueViolation(error) && attempt < 5) continue;
      throw error;
    }
  }
}

export async function archiveContentLink(
  db: DatabaseClient,
  actor: Actor,
  input: { linkId: string },
  requestMetadata?: RequestMetadata,
): Promise<{ archivedAt: Date }> {
  const link = await db.contentLink.findUnique({
    where: { id: input.linkId },
    select: { id: true, code: true, archivedAt: true, course: { select: { slug: true } } },
  });
  if (!link) throw new AppError("NOT_FOUND", "Link not found");
  await findCourseForStaff(db, actor, link.course.slug, "link.publish");
  if (link.archivedAt) return { archivedAt: link.archivedAt };
  const archivedAt = new Date();
  await db.$transaction(async (tx) => {
    await tx.contentLink.update({ where: { id: link.id }, data: { archivedAt } });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "link.archive",
      subjectType: "ContentLink",
      subjectId: link.id,
      details: { code: link.code },
      requestMetadata,
    });
  });
  interactCache().links.delete(link.code);
  return { archivedAt };
}

// ---------------------------------------------------------------------------
// Lists for course staff, with clicks

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
    where: { courseId: course.id },
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

// ---------------------------------------------------------------------------
// Periodic verification

/** Links are re-checked at most this often. */
const recheckAfterMs = 6 * 3600_000;

/**
 * Re-checks the links checked longest ago (a batch per run, so GitHub's rate
 * limit is respected however many links exist). A link whose target is gone
 * turns BROKEN and its course's instructors and TAs get a notification; one
 * that comes back turns OK again. GitHub being unreachable changes nothing.
 */
export async function verifyContentLinks(
  db: DatabaseClient,
  verifyLink: LinkVerifier,
  { now = new Date(), batchSize = 100 }: { now?: Date; batchSize?: number } = {},
): Promise<{ checked: number; ok: number; broken: number; unknown: number }> {
  const due = await db.contentLink.findMany({
    where: {
      archivedAt: null,
      OR: [{ verifiedAt: null }, { verifiedAt: { lt: new Date(now.getTime() - recheckAfterMs) } }],
    },
    orderBy: { verifiedAt: { sort: "asc", nulls: "first" } },
    take: batchSize,
    select: {
      id: true,
      code: true,
      title: true,
      repositoryUrl: true,
      branch: true,
      path: true,
      verification: true,
      course: { select: { id: true, slug: true, code: true } },
    },
  });
  const summary = { checked: 0, ok: 0, broken: 0, unknown: 0 };
  for (const link of due) {
    const repository = normaliseRepositoryUrl(link.repositoryUrl);
    if (!repository.ok) continue;
    const check = await verifyLink({
      repository: repository.repository,
      branch: link.branch,
      path: link.path,
    });
    summary.checked += 1;
    if (check.outcome === "unknown") {
      summary.unknown += 1;
      continue;
    }
    const isBroken = check.outcome === "missing";
    const state: LinkVerification =
      check.outcome === "ok" ? "OK" : isBroken ? "BROKEN" : "UNVERIFIED";
    if (check.outcome === "ok") summary.ok += 1;
    if (isBroken) summary.broken += 1;
    await db.$transaction(async (tx) => {
      await tx.contentLink.update({
        where: { id: link.id },
        data: {
          verification: state,
          verificationMessage: check.outcome === "ok" ? null : check.message,
          verifiedAt: now,
        },
      });
      if (isBroken && link.verification !== "BROKEN") {
        const staff = await tx.enrollment.findMany({
          where: { courseId: link.course.id, role: { in: ["INSTRUCTOR", "TA"] } },
          select: { userId: true },
        });
        await notify(tx, {
          userIds: staff.map((member) => member.userId),
          kind: "link.broken",
          title: `A content link of ${link.course.code} is broken`,
          body: `“${link.title}” (/i/${link.code}) no longer works: ${check.message}`,
          href: `/courses/${link.course.slug}/links`,
        });
      }
    });
  }
  return summary;
}
