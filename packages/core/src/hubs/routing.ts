import { createHash } from "node:crypto";
import type { HubStatus, Prisma } from "@hubfed/db";
import { isHubRetired } from "./lifecycle";

/**
 * The one placement rule of the portal: which of a course's hubs a student
 * goes to (sections on several clusters). My hubs, the launch button and the
 * /i/<code> router all decide with it, so a student is never shown one hub
 * and sent to another.
 * Sticky: once a student is placed (Enrollment.hubId) they stay, even while
 * that hub is unhealthy, because their files live there; they are placed
 * again only when the hub is gone. A new placement prefers READY hubs and
 * spreads students by weight with rendezvous hashing, so every portal
 * replica, and every concurrent first click, picks the same hub.
 */

export interface RoutableHub {
  id: string;
  slug: string;
  status: HubStatus;
  url: string | null;
  weight: number;
  /** A hub on a simulated cluster (the demo's Kubernetes API test server) has no JupyterHub behind its URL. */
  cluster: { isSimulated: boolean };
}

/**
 * The Prisma `select` of a hub's routing fields: what chooseHub and
 * isHubLaunchable need, read the same way everywhere. It carries no status
 * reason: those are for ops and staff, and routing feeds students' pages.
 */
export const routableHubSelect = {
  id: true,
  slug: true,
  status: true,
  url: true,
  weight: true,
  cluster: { select: { isSimulated: true } },
} as const satisfies Prisma.HubSelect;

/**
 * Only a READY hub with a recorded URL on a real cluster is launched;
 * everything else gets a status page (SPEC §8). My hubs, the launch button
 * and the /i/<code> router all decide with this.
 */
export function isHubLaunchable(
  hub: Pick<RoutableHub, "status" | "url" | "cluster">,
): hub is Pick<RoutableHub, "status" | "cluster"> & { url: string } {
  return hub.status === "READY" && hub.url !== null && !hub.cluster.isSimulated;
}

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
  return isHubRetired(hub.status);
}

function rendezvousScore(userId: string, hub: RoutableHub): number {
  const digest = createHash("sha256").update(`${userId}\u0000${hub.id}`).digest();
  // 48 bits of the hash as a fraction in (0, 1).
  const fraction = (digest.readUIntBE(0, 6) + 1) / (2 ** 48 + 1);
  return Math.max(hub.weight, 0) / -Math.log(fraction);
}

export interface HubChoice {
  hub: RoutableHub;
  /** True when this is a new placement worth remembering on the enrollment. */
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
