/**
 * The permission table (STYLE rule 2): every action a person can take, and
 * the roles allowed to take it. tRPC procedures declare their action, the UI
 * asks the same table what to show, and the authorization test matrix is
 * generated from it. Add a row when a procedure needs one.
 *
 * Roles are scoped: `ops` is federation-wide, `institution-admin` holds for one
 * institution, `instructor`, `ta` and `student` for one course. An action with
 * a scope (an institution or a course) is checked against the roles the actor
 * holds in that scope; an action without one against any role the actor holds.
 */
export const roles = ["ops", "institution-admin", "instructor", "ta", "student"] as const;
export type Role = (typeof roles)[number];

export const permissionTable = {
  /** See the federation's regions, clusters and node pools. */
  "region.read": ["ops"],
  /** Re-read regions/ and sync it into the database. */
  "region.sync": ["ops"],
  /** Detailed health of the portal's dependencies (database, Redis, worker). */
  "system.health.read": ["ops"],
  /** See failed background jobs with their reasons, and retry them (/ops/jobs). */
  "system.jobs.manage": ["ops"],
  /** See hub requests of an institution (requesters always see their own). */
  "request.read": ["ops", "institution-admin"],
  /** Review hub requests: approve, ask for changes, reject. */
  "request.review": ["ops"],
  /** Ask for a change to a running hub (more memory for an exam week, a new image…). */
  "hub.change.request": ["instructor", "institution-admin"],
  /** See credit pools, allocations, burn and forecasts (institution admins: their own institution's). */
  "credits.read": ["ops", "institution-admin"],
  /** See a course's spend against its allocation and the forecast (instructors: their own course's). */
  "course.spend.read": ["ops", "institution-admin", "instructor"],
  /** Create and top up pools, allocate credit, move it between allocations. */
  "credits.manage": ["ops"],
  /** See a hub's status, conditions and provisioning runs (course staff: their own course's). */
  "hub.read": ["ops", "institution-admin", "instructor", "ta"],
  /** The fleet view: every hub with its health, usage and spend (institution admins: their own institution's). */
  "fleet.read": ["ops", "institution-admin"],
  /** Read the audit log (institution admins: their own institution's events). */
  "audit.read": ["ops", "institution-admin"],
  /** Retry provisioning, reconcile, restart and retire hubs. */
  "hub.operate": ["ops"],
  /**
   * Suspend a hub (its servers stopped, its files kept) and resume it (institution admins: their
   * institution's hubs, and not one the operators suspended).
   */
  "hub.suspend": ["ops", "institution-admin"],
  /** See one's own courses and roles. */
  "profile.read": ["ops", "institution-admin", "instructor", "ta", "student"],
  /** See a course's staff page: roster, join codes, content links and their clicks. */
  "course.read": ["ops", "institution-admin", "instructor", "ta"],
  /** Join codes, roster import, staff invitations and unenrolling. */
  "enrollment.manage": ["institution-admin", "instructor"],
  /** Edit a course's calendar: weekly meetings, important dates, capacity windows. */
  "course.schedule.manage": ["institution-admin", "instructor"],
  /** Approve or reject capacity windows beyond a hub's approved envelope. */
  "capacity.review": ["ops"],
  /** Publish and archive content links for a course. */
  "link.publish": ["instructor", "ta"],
  /** Set which GitHub organisations and repositories a course's content links may come from. */
  "course.content.manage": ["ops", "institution-admin", "instructor"],
  /** Open a course's hub, directly or through a content link (enrollment drives access). */
  "hub.launch": ["instructor", "ta", "student"],
  /** Institutions' sign-in providers, the portal's signing keys and hub client secrets. */
  "identity.manage": ["ops"],
  /** Render the regions' hub files and propose them to the GitOps repository. */
  "gitops.export": ["ops"],
  /** Create, publish, edit and archive a course's assignments. */
  "assignment.manage": ["instructor", "ta"],
  /** See a course's published assignments, submit to them and read one's own grades. */
  "assignment.submit": ["student"],
  /** See every student's submissions and grades in a course, export them, regrade. */
  "gradebook.read": ["instructor", "ta"],
  /** Grade submissions again after a test was fixed. */
  "submission.regrade": ["instructor", "ta"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof permissionTable;
export const actions = Object.keys(permissionTable) as Action[];

export interface Scope {
  institutionId?: string;
  courseId?: string;
}

/** Who is acting and which roles they hold where; loaded once per request. */
export interface Actor {
  userId: string;
  isOperator: boolean;
  /** institutionId → the actor is an admin there. */
  adminOfInstitutionIds: ReadonlySet<string>;
  /** courseId → the actor's role in that course, and the course's institution. */
  courseRoles: ReadonlyMap<
    string,
    { role: "instructor" | "ta" | "student"; institutionId: string }
  >;
}

function holdsRole(actor: Actor, role: Role, scope: Scope): boolean {
  switch (role) {
    case "ops":
      return actor.isOperator;
    case "institution-admin": {
      const institutionId =
        scope.institutionId ??
        (scope.courseId ? actor.courseRoles.get(scope.courseId)?.institutionId : undefined);
      return institutionId
        ? actor.adminOfInstitutionIds.has(institutionId)
        : actor.adminOfInstitutionIds.size > 0;
    }
    case "instructor":
    case "ta":
    case "student":
      if (scope.courseId) return actor.courseRoles.get(scope.courseId)?.role === role;
      if (scope.institutionId)
        return [...actor.courseRoles.values()].some(
          (entry) => entry.role === role && entry.institutionId === scope.institutionId,
        );
      return [...actor.courseRoles.values()].some((entry) => entry.role === role);
  }
}

export function can(actor: Actor, action: Action, scope: Scope = {}): boolean {
  return permissionTable[action].some((role) => holdsRole(actor, role, scope));
}

export function rolesOf(actor: Actor): Role[] {
  return roles.filter((role) => holdsRole(actor, role, {}));
}
