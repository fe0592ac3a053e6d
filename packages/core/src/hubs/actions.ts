import { can, type Actor } from "@hubfed/auth/permissions";
import {
  type DatabaseClient,
  type Hub,
  type HubStatus,
  recordAuditEvent,
  type Transaction,
} from "@hubfed/db";
import type { JobQueues } from "@hubfed/jobs";
import { notify } from "../audit";
import { burnedPercent } from "../credits/alerts";
import { owedCentsOf } from "../credits/usage-posting";
import { AppError } from "../errors";
import { queueHubDecommission, queueHubReconcile } from "./hub-jobs";
import { hubStatusesThatMayBecome, isHubRetired, servingHubStatuses } from "./lifecycle";
import { transitionHub } from "./status";
import {
  resumeHubInTransaction,
  suspendHubInTransaction,
  suspensionCauseOf,
  type SuspensionCause,
} from "./suspension";

// What people do to a hub from its page (issue 17, SPEC §3): suspend, resume, retire, restart,
// retry. Each takes a reason, is refused unless the permission table and the hub's status allow
// it, records an audit event and tells the course's staff; the runtime's part is a queued job.

export const hubActions = ["suspend", "resume", "retire", "restart", "retry"] as const;
export type HubAction = (typeof hubActions)[number];

/** How long a reason may be: a sentence or two, written for the course's staff. */
export const hubActionReasonLength = { min: 5, max: 500 } as const;

type ActionHub = Pick<
  Hub,
  "id" | "slug" | "courseId" | "status" | "appliedRevision" | "statusReason"
> & {
  course: { institutionId: string; code: string; slug: string };
};

/** The hubs a restart makes sense for: running ones (a failed one is retried instead). */
const restartableStatuses: readonly HubStatus[] = servingHubStatuses;

function mayTake(actor: Actor, action: HubAction, hub: ActionHub): boolean {
  const scope = { institutionId: hub.course.institutionId, courseId: hub.courseId };
  return action === "suspend" || action === "resume"
    ? can(actor, "hub.suspend", scope)
    : can(actor, "hub.operate", scope);
}

function isPossible(action: HubAction, status: HubStatus): boolean {
  switch (action) {
    case "suspend":
      return hubStatusesThatMayBecome("SUSPENDED").includes(status);
    case "resume":
      return status === "SUSPENDED";
    case "retire":
      return !isHubRetired(status);
    case "restart":
      return restartableStatuses.includes(status);
    case "retry":
      return !isHubRetired(status) && status !== "SUSPENDED";
  }
}

/** The actions the actor may take on the hub as it is now: the buttons its page shows. */
export function availableHubActions(actor: Actor, hub: ActionHub): HubAction[] {
  return hubActions.filter(
    (action) => mayTake(actor, action, hub) && isPossible(action, hub.status),
  );
}

function checkedReason(reason: string): string {
  const trimmed = reason.trim().replace(/\s+/g, " ");
  if (trimmed.length < hubActionReasonLength.min || trimmed.length > hubActionReasonLength.max)
    throw new AppError("BAD_REQUEST", "Say why", {
      reason: [
        trimmed.length < hubActionReasonLength.min
          ? `Say why in a few words (at least ${hubActionReasonLength.min} characters): the course's staff are told.`
          : `Keep it under ${hubActionReasonLength.max} characters.`,
      ],
    });
  return trimmed;
}

/** Who acted, as the course's staff read it. */
function actedBy(actor: Actor): string {
  return actor.isOperator ? "the federation operators" : "your institution's admins";
}

export interface HubActionResult {
  action: HubAction;
  status: HubStatus;
  /** The worker job that carries the action out. */
  jobId: string;
}

/**
 * Takes one action on a hub: checks the permission (per action and the hub's institution and
 * course), the reason and the hub's status, moves the hub and records who did it and why, tells
 * the course's staff, and queues the worker's part once the move has committed.
 */
export async function takeHubAction(
  db: DatabaseClient,
  actor: Actor,
  queues: JobQueues,
  { slug, action, reason: givenReason }: { slug: string; action: HubAction; reason: string },
): Promise<HubActionResult> {
  const hub = await db.hub.findUnique({
    where: { slug },
    include: { course: { select: { institutionId: true, code: true, slug: true } } },
  });
  // A hub the actor may not even see does not exist for them.
  if (
    !hub ||
    !can(actor, "hub.read", { institutionId: hub.course.institutionId, courseId: hub.courseId })
  )
    throw new AppError("NOT_FOUND", "Hub not found");
  if (!mayTake(actor, action, hub))
    throw new AppError("FORBIDDEN", `You may not ${action} this hub`);
  const reason = checkedReason(givenReason);
  if (!isPossible(action, hub.status))
    throw new AppError(
      "CONFLICT",
      `The hub is ${hub.status.toLowerCase()}: it cannot be ${pastTense[action]} now`,
    );
  const result = await perform[action](db, actor, queues, hub, reason);
  return { action, ...result };
}

const pastTense: Record<HubAction, string> = {
  suspend: "suspended",
  resume: "resumed",
  retire: "retired",
  restart: "restarted",
  retry: "retried",
};

type Performer = (
  db: DatabaseClient,
  actor: Actor,
  queues: JobQueues,
  hub: ActionHub,
  reason: string,
) => Promise<{ status: HubStatus; jobId: string }>;

const movedMeanwhile = () =>
  new AppError("CONFLICT", "The hub's status changed meanwhile; reload the page and try again");

const perform: Record<HubAction, Performer> = {
  async suspend(db, actor, queues, hub, reason) {
    const cause: SuspensionCause = actor.isOperator
      ? "SuspendedByOperator"
      : "SuspendedByInstitutionAdmin";
    const moved = await db.$transaction(async (tx) => {
      const didMove = await suspendHubInTransaction(tx, {
        hub,
        cause,
        reason,
        staffNote: `Suspended by ${actedBy(actor)}: “${reason}”`,
        actorId: actor.userId,
      });
      if (didMove) await recordAction(tx, actor, hub, "suspend", reason);
      return didMove;
    });
    if (!moved) throw movedMeanwhile();
    return { status: "SUSPENDED", jobId: await queueHubReconcile(queues, hub.id, "suspend") };
  },

  async resume(db, actor, queues, hub, reason) {
    const cause = await suspensionCauseOf(db, hub.id);
    // An operator's suspension (abuse, a security matter) is lifted by an operator.
    if (cause === "SuspendedByOperator" && !actor.isOperator)
      throw new AppError(
        "FORBIDDEN",
        "The federation operators suspended this hub: ask them to resume it",
      );
    await assertBudgetAllowsResuming(db, hub);
    const moved = await db.$transaction(async (tx) => {
      const didMove = await resumeHubInTransaction(tx, {
        hub,
        reason,
        staffNote: `Resumed by ${actedBy(actor)}: “${reason}”`,
        actorId: actor.userId,
      });
      if (didMove) await recordAction(tx, actor, hub, "resume", reason);
      return didMove;
    });
    if (!moved) throw movedMeanwhile();
    return {
      status: hub.appliedRevision === null ? "PENDING" : "UPDATING",
      jobId: await queueHubReconcile(queues, hub.id, "resume"),
    };
  },

  async retire(db, actor, queues, hub, reason) {
    const moved = await db.$transaction(async (tx) => {
      const didMove = await transitionHub(tx, {
        hub,
        to: "DECOMMISSIONING",
        reason,
        actorId: actor.userId,
        staffNote: `Retired by ${actedBy(actor)}: “${reason}”`,
      });
      if (didMove) await recordAction(tx, actor, hub, "retire", reason);
      return didMove;
    });
    if (!moved) throw movedMeanwhile();
    return { status: "DECOMMISSIONING", jobId: await queueHubDecommission(queues, hub.id) };
  },

  async restart(db, actor, queues, hub, reason) {
    await db.$transaction(async (tx) => {
      await recordAction(tx, actor, hub, "restart", reason);
      await notifyStaff(tx, hub, {
        kind: "hub.restart",
        title: `${hub.course.code} hub: restarting`,
        body: `The hub is being restarted by ${actedBy(actor)}: “${reason}” Students may have to start their server again; their files are kept.`,
      });
    });
    return { status: hub.status, jobId: await queueHubReconcile(queues, hub.id, "restart") };
  },

  async retry(db, actor, queues, hub, reason) {
    await db.$transaction(async (tx) => {
      await recordAction(tx, actor, hub, "retry", reason);
      if (hub.status === "FAILED")
        await notifyStaff(tx, hub, {
          kind: "hub.retry",
          title: `${hub.course.code} hub: being set up again`,
          body: `The federation operators are setting the hub up again: “${reason}”`,
        });
    });
    return { status: hub.status, jobId: await queueHubReconcile(queues, hub.id, "retry") };
  },
};

/**
 * Resuming does not outrun the budget: a hub whose SUSPEND-policy allocation is spent (counting
 * the days it still owes) would only be suspended again at the next pass. Top it up instead,
 * which resumes it.
 */
async function assertBudgetAllowsResuming(db: DatabaseClient, hub: ActionHub): Promise<void> {
  const allocation = await db.allocation.findUnique({
    where: { hubId: hub.id },
    include: { ledgerAccount: true },
  });
  if (allocation?.limitPolicy !== "SUSPEND") return;
  const spent = allocation.ledgerAccount.postedDebitsCents + (await owedCentsOf(db, hub.id));
  const percent = burnedPercent(allocation.budgetCents, spent);
  if (percent >= 100)
    throw new AppError(
      "PRECONDITION_FAILED",
      `The hub's allocation is used up (${percent} %): top it up on the credits page, which resumes the hub`,
    );
}

async function recordAction(
  tx: Transaction,
  actor: Actor,
  hub: ActionHub,
  action: HubAction,
  reason: string,
): Promise<void> {
  await recordAuditEvent(tx, {
    actorId: actor.userId,
    action: `hub.${action}`,
    subjectType: "Hub",
    subjectId: hub.id,
    details: { reason, status: hub.status },
  });
}

/** The course's instructors and TAs, for an action that does not move the status (whose move tells them). */
async function notifyStaff(
  tx: Transaction,
  hub: ActionHub,
  message: { kind: string; title: string; body: string },
): Promise<void> {
  const staff = await tx.enrollment.findMany({
    where: { courseId: hub.courseId, role: { in: ["INSTRUCTOR", "TA"] } },
    select: { userId: true },
  });
  await notify(tx, {
    userIds: staff.map((entry) => entry.userId),
    ...message,
    href: `/courses/${hub.course.slug}`,
  });
}
