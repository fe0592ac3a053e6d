import { type Hub, type HubStatus, recordAuditEvent, type Transaction } from "@hubfed/db";
import { notify } from "../audit";

import { canTransitionHub, hubStatusesThatMayBecome } from "./lifecycle";
import { describeHubStatusForStaff } from "./status-description";

/**
 * Moves a hub to `to` if it is still in one of `from` (a conditional update,
 * so concurrent transitions cannot both apply), with an audit event and a
 * notification to the course's instructors (SPEC §3: every transition).
 * `from` defaults to every status that may become `to` (hubs/lifecycle.ts);
 * naming a move the lifecycle does not allow throws.
 * Returns false when the hub had already moved on.
 */
export async function transitionHub(
  tx: Transaction,
  {
    hub,
    from,
    to,
    reason,
    actorId,
    staffNote,
  }: {
    hub: Pick<Hub, "id" | "slug" | "courseId" | "status">;
    from?: readonly HubStatus[];
    to: HubStatus;
    reason: string;
    actorId: string | null;
    /**
     * Added to the staff's notification when the move has a reason written for people (an
     * operator's suspension, a budget run out); technical reasons stay in the audit event.
     */
    staffNote?: string;
  },
): Promise<boolean> {
  const refused = (from ?? []).filter((status) => !canTransitionHub(status, to));
  if (refused.length > 0)
    throw new Error(`A hub may not move from ${refused.join(", ")} to ${to} (hubs/lifecycle.ts)`);
  const { count } = await tx.hub.updateMany({
    where: { id: hub.id, status: { in: [...(from ?? hubStatusesThatMayBecome(to))] } },
    data: { status: to, statusReason: reason },
  });
  if (count === 0) return false;
  await recordAuditEvent(tx, {
    actorId,
    action: "hub.status-change",
    subjectType: "Hub",
    subjectId: hub.id,
    details: { from: hub.status, to, reason },
  });
  const staff = await tx.enrollment.findMany({
    where: { courseId: hub.courseId, role: { in: ["INSTRUCTOR", "TA"] } },
    select: { userId: true, course: { select: { slug: true, code: true } } },
  });
  // Staff read what it means for their class; the technical reason is in the audit event for ops.
  const described = describeHubStatusForStaff(to);
  const course = staff[0]?.course;
  await notify(tx, {
    userIds: staff.map((enrollment) => enrollment.userId),
    kind: "hub.status-change",
    title: `${course?.code ?? "Your course"} hub: ${described.label.toLowerCase()}`,
    body: staffNote ? `${described.explanation} ${staffNote}` : described.explanation,
    href: `/courses/${course?.slug ?? hub.slug}`,
  });
  return true;
}
