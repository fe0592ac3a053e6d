import type { Redis } from "ioredis";
import type { Actor } from "@hubfed/auth/permissions";
import { Prisma, type DatabaseClient, type LinkVerification, recordAuditEvent } from "@hubfed/db";
import { AppError, fieldErrorsOf } from "../errors";
import { dropFromInteractCache } from "./interact-cache";
import { unavailableLinkInterfacesOf } from "./interfaces";
import { generateContentLinkCode } from "./link-codes";
import { consumeRateLimit, linkCreationRateLimit } from "./rate-limit";
import { findCourseForStaff, type RequestMetadata } from "./staff-access";
import { validateContentLink } from "./validation";
import type { LinkVerifier } from "./verification";

/**
 * Content links (SPEC §8): instructors and TAs publish and archive them, the
 * router serves them at /i/<code> (resolve-interact.ts), staff see their
 * clicks (course-link-list.ts). Verification through GitHub happens at
 * publish (a link to something missing is refused, with the field to fix)
 * and periodically (periodic-verification.ts: a link whose target
 * disappears is marked BROKEN and its course staff are told).
 */

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
  const unavailable = (await unavailableLinkInterfacesOf(db, course.id)).find(
    (entry) => entry.interface === link.interface,
  );
  if (unavailable)
    throw new AppError("BAD_REQUEST", "This course's hub cannot open that interface", {
      interface: [unavailable.reason],
    });

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
  dropFromInteractCache("links", link.code);
  return { archivedAt };
}
