import type { HubStatus } from "@hubfed/db";

// A hub's lifecycle (SPEC §3), in one place: which status may follow which,
// and the named groups of statuses the rest of the code asks about. Pure (the
// status type only), so the portal's client components import it too
// (`@hubfed/core/hub-lifecycle`).
//
//   PENDING → PROVISIONING → READY ⇄ DEGRADED
//   READY → UPDATING → READY              (a change applied)
//   READY → SUSPENDED → UPDATING → READY  (budget exhausted / ops action; resumed by a
//                                          top-up or ops, and READY once the runtime answers)
//   SUSPENDED → PENDING                   (a hub suspended before it was ever set up)
//   * → DECOMMISSIONING → ARCHIVED        (end of term + grace, or ops action)
//   * → FAILED → (retry) PROVISIONING

/** Every move transitionHub will make; anything else is refused as a programming error. */
export const hubTransitions = {
  PENDING: ["PROVISIONING", "READY", "FAILED", "SUSPENDED", "DECOMMISSIONING"],
  PROVISIONING: ["READY", "FAILED", "SUSPENDED", "DECOMMISSIONING"],
  READY: ["DEGRADED", "UPDATING", "SUSPENDED", "FAILED", "DECOMMISSIONING"],
  DEGRADED: ["READY", "UPDATING", "SUSPENDED", "FAILED", "DECOMMISSIONING"],
  UPDATING: ["READY", "FAILED", "SUSPENDED", "DECOMMISSIONING"],
  // Never straight to READY: a resumed hub is READY only once its runtime has started it again.
  SUSPENDED: ["PENDING", "UPDATING", "DECOMMISSIONING"],
  FAILED: ["PROVISIONING", "UPDATING", "READY", "SUSPENDED", "DECOMMISSIONING"],
  DECOMMISSIONING: ["ARCHIVED"],
  ARCHIVED: [],
} as const satisfies Record<HubStatus, readonly HubStatus[]>;

export const allHubStatuses = Object.keys(hubTransitions) as HubStatus[];

export function canTransitionHub(from: HubStatus, to: HubStatus): boolean {
  return (hubTransitions[from] as readonly HubStatus[]).includes(to);
}

/** The statuses a hub may be in to move to `to`. */
export function hubStatusesThatMayBecome(to: HubStatus): HubStatus[] {
  return allHubStatuses.filter((from) => canTransitionHub(from, to));
}

/** Gone or going: nobody is sent to them, nothing is reconciled or billed, stickiness lapses. */
export const retiredHubStatuses = ["DECOMMISSIONING", "ARCHIVED"] as const satisfies HubStatus[];

/** Everything not retired: the hubs a course still has (end of term looks at these). */
export const liveHubStatuses = allHubStatuses.filter(
  (status) => !isHubRetired(status),
) as readonly HubStatus[];

/** Hubs that still exist somewhere (the GitOps export renders them): all but the archived. */
export const deployedHubStatuses = allHubStatuses.filter(
  (status) => status !== "ARCHIVED",
) as readonly HubStatus[];

/** Hubs whose servers may be running, so their servers are sampled and billed. */
export const meteredHubStatuses = ["READY", "DEGRADED", "UPDATING"] as const satisfies HubStatus[];

/**
 * Hubs whose desired state is stopped: reconcile stops their JupyterHub and every user server
 * and keeps them stopped (a drift check stops one that was started behind its back); their
 * students' files stay where they are.
 */
export const stoppedHubStatuses = ["SUSPENDED"] as const satisfies HubStatus[];

export function isHubStopped(status: HubStatus): boolean {
  return (stoppedHubStatuses as readonly HubStatus[]).includes(status);
}

/**
 * Hubs metering samples: the running ones for their servers and storage, a stopped one for its
 * storage (its homes still cost money while it is suspended, and are billed).
 */
export const sampledHubStatuses = [
  ...meteredHubStatuses,
  ...stoppedHubStatuses,
] as const satisfies HubStatus[];

/**
 * Hubs reconcile converges: to their spec and running, or, for a stopped (suspended) one, to
 * stopped. Retired hubs belong to decommissioning.
 */
export const reconciledHubStatuses = [
  "PENDING",
  "PROVISIONING",
  "READY",
  "DEGRADED",
  "UPDATING",
  "FAILED",
  "SUSPENDED",
] as const satisfies HubStatus[];

/** Hubs the periodic drift check queues a reconcile for (a FAILED one waits for its Retry). */
export const driftCheckedHubStatuses = reconciledHubStatuses.filter(
  (status) => status !== "FAILED",
) as readonly HubStatus[];

/** Hubs that should be answering: the health check keeps READY ⇄ DEGRADED honest for these. */
export const servingHubStatuses = ["READY", "DEGRADED"] as const satisfies HubStatus[];

/**
 * Hubs whose users may sign in at the portal's OpenID Connect provider: those whose servers may be
 * running (the metered ones). A suspended, decommissioning, failed or not-yet-ready hub gets no
 * authorization and no tokens (the portal passes this rule to packages/identity).
 */
export const signInHubStatuses = meteredHubStatuses;

export function isHubSigningIn(status: HubStatus): boolean {
  return (signInHubStatuses as readonly HubStatus[]).includes(status);
}

/** Statuses a provisioning run ends in: the hub page stops polling at these. */
export const settledHubStatuses = [
  "READY",
  "FAILED",
  "SUSPENDED",
  "ARCHIVED",
] as const satisfies HubStatus[];

export function isHubRetired(status: HubStatus): boolean {
  return (retiredHubStatuses as readonly HubStatus[]).includes(status);
}

export function isHubReconciled(status: HubStatus): boolean {
  return (reconciledHubStatuses as readonly HubStatus[]).includes(status);
}
