import { type DatabaseClient, type HubStatus, type Transaction } from "@hubfed/db";

import { retiredHubStatuses } from "../hubs/lifecycle";
import { chooseHub, routableHubSelect } from "../hubs/routing";

// The placement itself is hubs/routing's one rule (sticky, READY first,
// weighted rendezvous hashing); this file reads a student's enrollment and
// remembers the placement on it.

export interface ChosenHub {
  id: string;
  slug: string;
  status: HubStatus;
  url: string | null;
  weight: number;
  cluster: { isSimulated: boolean };
  lastActivityAt: Date | null;
}

/**
 * The hub to send an enrolled person to, remembered on the enrollment
 * (Enrollment.hubId) the first time it is a READY hub, so they keep their
 * home directory. The write is conditional on the enrollment still holding the
 * hub we read: when two launches race, both computed the same deterministic
 * choice, and the first write stands.
 */
export async function chooseHubForEnrollment(
  db: DatabaseClient | Transaction,
  enrollment: { id: string; userId: string; courseId: string; hubId: string | null },
): Promise<ChosenHub | undefined> {
  const hubs = await db.hub.findMany({
    where: { courseId: enrollment.courseId, status: { notIn: [...retiredHubStatuses] } },
    select: { ...routableHubSelect, lastActivityAt: true },
  });
  const choice = chooseHub(hubs, enrollment.hubId, enrollment.userId);
  const chosen = choice ? hubs.find((hub) => hub.id === choice.hub.id) : undefined;
  if (!chosen || !choice?.isNewPlacement) return chosen;
  const { count } = await db.enrollment.updateMany({
    where: { id: enrollment.id, hubId: enrollment.hubId },
    data: { hubId: chosen.id },
  });
  if (count > 0) return chosen;
  const current = await db.enrollment.findUnique({
    where: { id: enrollment.id },
    select: { hubId: true },
  });
  return hubs.find((hub) => hub.id === current?.hubId) ?? chosen;
}
