import type { DatabaseClient, LinkVerification } from "@hubfed/db";
import { notify } from "../audit";
import { normaliseRepositoryUrl } from "./validation";
import type { LinkVerifier } from "./verification";

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
      // An assignment's link serves a snapshot taken at publish: nothing on GitHub to re-check.
      assignmentId: null,
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
