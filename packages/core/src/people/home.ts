import type { Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient } from "@hubfed/db";

/**
 * What each kind of person came to the portal's home page to do, in counts
 * that link onward: ops review requests and look after failing hubs, an
 * institution's admins follow their college's requests and hubs, and anyone
 * may have a request of their own in progress. Students' hubs come from
 * listMyHubs; a newcomer with none of these gets the ways in (join, request).
 */
export interface HomeTasks {
  operator: {
    requestsAwaitingReview: number;
    hubsNeedingAttention: number;
    /** Capacity windows beyond a hub's approved envelope, waiting for a decision. */
    capacityWindowsAwaitingReview: number;
  } | null;
  institutionAdmin: {
    institutions: string[];
    openRequests: number;
    liveHubs: number;
  } | null;
  /** The person's own requests that are not decided yet (drafts, submitted, changes asked). */
  myOpenRequests: Array<{ id: string; title: string; status: string }>;
}

export async function listHomeTasks(db: DatabaseClient, actor: Actor): Promise<HomeTasks> {
  const openStatuses = ["DRAFT", "SUBMITTED", "CHANGES_REQUESTED"] as const;
  const [operator, institutionAdmin, myOpenRequests] = await Promise.all([
    actor.isOperator
      ? Promise.all([
          db.hubRequest.count({ where: { status: "SUBMITTED" } }),
          db.hub.count({ where: { status: { in: ["FAILED", "DEGRADED"] } } }),
          db.capacityWindow.count({ where: { status: "PENDING" } }),
        ]).then(
          ([requestsAwaitingReview, hubsNeedingAttention, capacityWindowsAwaitingReview]) => ({
            requestsAwaitingReview,
            hubsNeedingAttention,
            capacityWindowsAwaitingReview,
          }),
        )
      : null,
    actor.adminOfInstitutionIds.size > 0
      ? Promise.all([
          db.institution.findMany({
            where: { id: { in: [...actor.adminOfInstitutionIds] } },
            select: { name: true },
            orderBy: { name: "asc" },
          }),
          db.hubRequest.count({
            where: {
              institutionId: { in: [...actor.adminOfInstitutionIds] },
              status: { in: ["SUBMITTED", "CHANGES_REQUESTED"] },
            },
          }),
          db.hub.count({
            where: {
              course: { institutionId: { in: [...actor.adminOfInstitutionIds] } },
              status: { notIn: ["ARCHIVED", "DECOMMISSIONING"] },
            },
          }),
        ]).then(([institutions, openRequests, liveHubs]) => ({
          institutions: institutions.map((institution) => institution.name),
          openRequests,
          liveHubs,
        }))
      : null,
    db.hubRequest.findMany({
      where: { requesterId: actor.userId, status: { in: [...openStatuses] } },
      orderBy: { updatedAt: "desc" },
      take: 5,
      select: { id: true, courseCode: true, courseTitle: true, status: true },
    }),
  ]);
  return {
    operator,
    institutionAdmin,
    myOpenRequests: myOpenRequests.map((request) => ({
      id: request.id,
      title:
        [request.courseCode, request.courseTitle].filter(Boolean).join(": ") || "Untitled draft",
      status: request.status,
    })),
  };
}
