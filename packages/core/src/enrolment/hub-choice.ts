import { createHash } from "node:crypto";
import type { DatabaseClient, HubStatus } from "@hubfed/db";
import type { Transaction } from "../credits";

/** Hubs that are gone or going: nobody is sent to them and stickiness to them lapses. */
export const retiredHubStatuses: readonly HubStatus[] = ["DECOMMISSIONING", "ARCHIVED"];

/** Only a READY hub is launched; every other status gets a status page (SPEC §8). */
export function isHubLaunchable(hub: { status: HubStatus; url: string | null }): boolean {
  return hub.status === "READY" && hub.url !== null;
}

export interface HubCandidate {
  id: string;
  status: HubStatus;
  weight: number;
}

// Preference when nothing is sticky yet: a healthy hub over one with
// problems, and one with problems over one that is not running at all (the
// student then sees the status of the hub they will be placed on).
const healthRank: Partial<Record<HubStatus, number>> = { READY: 0, DEGRADED: 1, UPDATING: 1 };

function hashFraction(userId: string, hubId: string): number {
  const digest = createHash("sha256").update(`${userId}\u0000${hubId}`).digest();
  // 48 bits in (0, 1): never 0 or 1, so the logarithm below is finite.
  return (digest.readUIntBE(0, 6) + 1) / (2 ** 48 + 2);
}

/**
 * The hub a person belongs on: their sticky hub while it is not retired;
 * otherwise the healthiest hubs, split between by weight with weighted
 * rendezvous hashing. The choice is a pure function of the person and the
 * hubs, so every portal process picks the same hub without coordination,
 * and adding a section only moves people who had no hub yet.
 */
export function pickHub<T extends HubCandidate>(
  hubs: readonly T[],
  userId: string,
  stickyHubId: string | null,
): T | undefined {
  const live = hubs.filter((hub) => !retiredHubStatuses.includes(hub.status));
  const sticky = stickyHubId ? live.find((hub) => hub.id === stickyHubId) : undefined;
  if (sticky) return sticky;
  if (live.length === 0) return undefined;
  const bestRank = Math.min(...live.map((hub) => healthRank[hub.status] ?? 2));
  const healthiest = live.filter((hub) => (healthRank[hub.status] ?? 2) === bestRank);
  const weighted = healthiest.some((hub) => hub.weight > 0)
    ? healthiest.filter((hub) => hub.weight > 0)
    : healthiest;
  let best: T | undefined;
  let bestScore = -Infinity;
  for (const hub of weighted) {
    const score = -Math.max(hub.weight, 1) / Math.log(hashFraction(userId, hub.id));
    if (score > bestScore || (score === bestScore && best && hub.id < best.id)) {
      best = hub;
      bestScore = score;
    }
  }
  return best;
}

export interface ChosenHub {
  id: string;
  slug: string;
  status: HubStatus;
  statusReason: string | null;
  url: string | null;
  weight: number;
  lastActivityAt: Date | null;
}

/**
 * The hub to send an enrolled person to, made sticky (Enrollment.hubId) the
 * first time it is a READY hub, so they keep their home directory. The write
 * is conditional on the enrolment still having no (or a retired) hub: when
 * two launches race, the first choice stands and both return it.
 */
export async function chooseHubForEnrollment(
  db: DatabaseClient | Transaction,
  enrollment: { id: string; userId: string; courseId: string; hubId: string | null },
): Promise<ChosenHub | undefined> {
  const hubs = await db.hub.findMany({
    where: { courseId: enrollment.courseId, status: { notIn: [...retiredHubStatuses] } },
    select: {
      id: true,
      slug: true,
      status: true,
      statusReason: true,
      url: true,
      weight: true,
      lastActivityAt: true,
    },
  });
  const chosen = pickHub(hubs, enrollment.userId, enrollment.hubId);
  if (!chosen || chosen.id === enrollment.hubId || chosen.status !== "READY") return chosen;
  const { count } = await db.enrollment.updateMany({
    where: {
      id: enrollment.id,
      OR: [{ hubId: null }, { hubId: enrollment.hubId }],
    },
    data: { hubId: chosen.id },
  });
  if (count > 0) return chosen;
  const current = await db.enrollment.findUnique({
    where: { id: enrollment.id },
    select: { hubId: true },
  });
  return hubs.find((hub) => hub.id === current?.hubId) ?? chosen;
}
