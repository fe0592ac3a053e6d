import type { Actor } from "@hubfed/auth/permissions";
import type {
  DatabaseClient,
  HubAccessRevocationReason,
  HubAccessRevocationStatus,
  Transaction,
} from "@hubfed/db";
import { revokeHubSignIns } from "@hubfed/identity/revocation";
import { revokeHubAccessJob, revokeHubAccessJobId, type JobQueues } from "@hubfed/jobs";
import { AppError } from "../errors";
import { liveHubStatuses } from "../hubs/lifecycle";
import { loadCourseFor } from "./access";

// Access ends with the enrollment (issue "Hardening", item 3). When someone leaves a course or
// stops being its staff, every hub of the course is told at once to remove its user — their
// server stops, their tokens and admin flag go, their home stays — by one job per hub on the
// hub-access queue (provisioning/hub-access.ts runs it). The portal's own sign-in grants for
// those hubs are revoked in the same transaction as the enrollment, so a hub that misses the
// call still loses the person at its next role refresh (hubSignInRefreshSeconds).

/**
 * Records, inside the enrollment's transaction, that `userId` loses access to every hub of the
 * course that may know them, and (when they left the course) revokes what the portal issued to
 * them for the course's hubs. Returns the revocations to queue once the transaction commits.
 */
export async function takeAwayHubAccess(
  tx: Transaction,
  input: { userId: string; courseId: string; reason: HubAccessRevocationReason },
): Promise<string[]> {
  const user = await tx.user.findUniqueOrThrow({
    where: { id: input.userId },
    select: { username: true },
  });
  const hubs = await tx.hub.findMany({
    where: { courseId: input.courseId },
    select: { id: true, status: true, appliedRevision: true },
  });
  // Someone no longer staff still studies in the course: their sign-ins stay good, and the
  // hub's next refresh gives them the student's role only.
  if (input.reason === "UNENROLLED")
    await revokeHubSignIns(tx, { userId: input.userId, hubIds: hubs.map((hub) => hub.id) });
  // A hub that never ran has nobody to remove; a retiring or archived one keeps no one.
  const running = hubs.filter(
    (hub) =>
      hub.appliedRevision !== null && (liveHubStatuses as readonly string[]).includes(hub.status),
  );
  const ids: string[] = [];
  for (const hub of running) {
    const revocation = await tx.hubAccessRevocation.create({
      data: { hubId: hub.id, userId: input.userId, username: user.username, reason: input.reason },
      select: { id: true },
    });
    ids.push(revocation.id);
  }
  return ids;
}

/**
 * Queues one job per revocation, after the transaction that recorded them committed. A job that
 * cannot be queued (Redis down) leaves its row PENDING, which staff see with a Retry.
 */
export async function queueHubAccessRevocations(
  queues: JobQueues,
  revocationIds: readonly string[],
): Promise<number> {
  let queued = 0;
  for (const revocationId of revocationIds) {
    try {
      await queues.add(
        revokeHubAccessJob,
        { revocationId },
        { jobId: revokeHubAccessJobId(revocationId) },
      );
      queued += 1;
    } catch {
      // Visible on the roster page as waiting, with Retry.
    }
  }
  return queued;
}

/** How long a confirmed removal stays listed, so staff see it went through. */
const doneListedForMs = 7 * 86_400_000;

export interface HubAccessChange {
  id: string;
  hubSlug: string;
  person: { name: string | null; email: string | null; username: string };
  reason: HubAccessRevocationReason;
  status: HubAccessRevocationStatus;
  attempts: number;
  requestedAt: Date;
  completedAt: Date | null;
  /** What staff read: plain words, no hosts or ports. */
  summary: string;
  /** The last failure as the worker saw it (hub URL, HTTP status): operators only. */
  detail: string | null;
}

function summarise(status: HubAccessRevocationStatus, attempts: number): string {
  switch (status) {
    case "DONE":
      return "Removed from the hub: their server was stopped and their hub tokens no longer work.";
    case "PENDING":
      return attempts === 0
        ? "Waiting for the hub to remove them."
        : "The hub has not answered yet; trying again.";
    case "FAILED":
      return "The hub could not be reached, so it may still let them in until its next role check. Try again, or ask the operators if it keeps failing.";
  }
}

/**
 * The course's hub access changes that are not confirmed yet, and those confirmed this week
 * (the roster page). Operators also see why a try failed.
 */
export async function listHubAccessChanges(
  db: DatabaseClient,
  actor: Actor,
  courseSlug: string,
): Promise<HubAccessChange[]> {
  const course = await loadCourseFor(db, actor, courseSlug, "course.read");
  const rows = await db.hubAccessRevocation.findMany({
    where: {
      hub: { courseId: course.id },
      OR: [
        { status: { not: "DONE" } },
        { completedAt: { gt: new Date(Date.now() - doneListedForMs) } },
      ],
    },
    orderBy: { requestedAt: "desc" },
    take: 200,
    include: { hub: { select: { slug: true } } },
  });
  const people = await db.user.findMany({
    where: { id: { in: [...new Set(rows.map((row) => row.userId))] } },
    select: { id: true, name: true, email: true },
  });
  const personById = new Map(people.map((person) => [person.id, person]));
  return rows.map((row) => ({
    id: row.id,
    hubSlug: row.hub.slug,
    person: {
      name: personById.get(row.userId)?.name ?? null,
      email: personById.get(row.userId)?.email ?? null,
      username: row.username,
    },
    reason: row.reason,
    status: row.status,
    attempts: row.attempts,
    requestedAt: row.requestedAt,
    completedAt: row.completedAt,
    summary: summarise(row.status, row.attempts),
    detail: actor.isOperator ? row.lastError : null,
  }));
}

/** Staff try a removal again that failed (or was never queued). */
export async function retryHubAccessChange(
  db: DatabaseClient,
  actor: Actor,
  queues: JobQueues,
  input: { courseSlug: string; revocationId: string },
): Promise<{ isQueued: boolean }> {
  const course = await loadCourseFor(db, actor, input.courseSlug, "enrollment.manage");
  const { count } = await db.hubAccessRevocation.updateMany({
    where: { id: input.revocationId, hub: { courseId: course.id }, status: { not: "DONE" } },
    data: { status: "PENDING" },
  });
  if (count === 0) {
    const exists = await db.hubAccessRevocation.findFirst({
      where: { id: input.revocationId, hub: { courseId: course.id } },
      select: { id: true },
    });
    if (!exists) throw new AppError("NOT_FOUND", "There is no such hub access change");
    throw new AppError("CONFLICT", "The hub already removed this person");
  }
  await queues.add(
    revokeHubAccessJob,
    { revocationId: input.revocationId },
    { jobId: revokeHubAccessJobId(input.revocationId, Date.now()) },
  );
  return { isQueued: true };
}
