import { createHash } from "node:crypto";

/**
 * Which of a course's hubs a student goes to (sections on several clusters).
 * Sticky: once a student is placed (Enrollment.hubId) they stay, even while
 * that hub is unhealthy, because their files live there; they are placed
 * again only when the hub is gone. A new placement prefers READY hubs and
 * spreads students by weight with rendezvous hashing, so every portal
 * replica, and every concurrent first click, picks the same hub.
 */

export interface RoutableHub {
  id: string;
  slug: string;
  status: string;
  statusReason: string | null;
  url: string | null;
  weight: number;
}

/** The Prisma `select` of a hub's routing fields: what chooseHub needs, read the same way everywhere. */
export const routableHubSelect = {
  id: true,
  slug: true,
  status: true,
  statusReason: true,
  url: true,
  weight: true,
} as const satisfies Record<keyof RoutableHub, true>;

const goneStatuses = new Set(["ARCHIVED", "DECOMMISSIONING"]);
// For the status page when no hub is READY: the one closest to serving.
const notReadyPreference = [
  "DEGRADED",
  "UPDATING",
  "PROVISIONING",
  "PENDING",
  "SUSPENDED",
  "FAILED",
];

export function isHubGone(hub: Pick<RoutableHub, "status">): boolean {
  return goneStatuses.has(hub.status);
}

function rendezvousScore(userId: string, hub: RoutableHub): number {
  const digest = createHash("sha256").update(`${userId}\u0000${hub.id}`).digest();
  // 48 bits of the hash as a fraction in (0, 1).
  const fraction = (digest.readUIntBE(0, 6) + 1) / (2 ** 48 + 1);
  return Math.max(hub.weight, 0) / -Math.log(fraction);
}

export interface HubChoice {
  hub: RoutableHub;
  /** True when this is a new placement worth remembering on the enrolment. */
  isNewPlacement: boolean;
}

export function chooseHub(
  hubs: readonly RoutableHub[],
  stickyHubId: string | null,
  userId: string,
): HubChoice | undefined {
  const live = hubs.filter((hub) => !isHubGone(hub));
  const sticky = stickyHubId ? live.find((hub) => hub.id === stickyHubId) : undefined;
  if (sticky) return { hub: sticky, isNewPlacement: false };

  const ready = live.filter((hub) => hub.status === "READY" && hub.url);
  if (ready.length > 0) {
    const weighted = ready.some((hub) => hub.weight > 0)
      ? ready.filter((hub) => hub.weight > 0)
      : ready;
    let best = weighted[0]!;
    let bestScore = -Infinity;
    for (const hub of weighted) {
      const score = rendezvousScore(userId, hub);
      if (score > bestScore || (score === bestScore && hub.id < best.id)) {
        best = hub;
        bestScore = score;
      }
    }
    return { hub: best, isNewPlacement: true };
  }

  const waiting = [...live].sort(
    (a, b) =>
      rank(a.status) - rank(b.status) || b.weight - a.weight || a.slug.localeCompare(b.slug),
  );
  return waiting[0] ? { hub: waiting[0], isNewPlacement: false } : undefined;
}

function rank(status: string): number {
  const index = notReadyPreference.indexOf(status);
  return index === -1 ? notReadyPreference.length : index;
}
