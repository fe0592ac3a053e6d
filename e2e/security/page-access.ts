import { readdirSync } from "node:fs";
import path from "node:path";
import { permissionTable, roles, type Action, type Role } from "@hubfed/auth/permissions";

// Who may open each page and route handler of the portal, declared from the permission table.
// The matrix (page-access.spec.ts) finds every page.tsx and route.ts under apps/portal/src/app,
// refuses to run while one has no entry here, and opens each as every role and as a visitor over
// real HTTP against the production build.
//
// Every role is held in the one scope all sample objects live in: West Valley College and its
// course DATA 101 (ops everywhere; the institution's admin; DATA 101's instructor, TA and
// student). So "may open" is exactly the permission table's roles for the page's actions.

/** How a page or route decides who gets in. */
export type AccessRule =
  /** Anyone, signed in or not. */
  | { access: "public" }
  /** Every signed-in person; visitors are sent to sign in. */
  | { access: "signed-in" }
  /**
   * The roles the permission table gives any of `actions` (in the object's scope), plus `owner`
   * when the object is theirs (their own request or submission); visitors are sent to sign in.
   */
  | { access: "permission"; actions: readonly Action[]; owner?: { role: Role; why: string } }
  /** A student's server with its JupyterHub token, never a portal session: nobody signed in. */
  | { access: "hub-token" }
  /** The tRPC endpoint: each procedure has its own tier (authorization-matrix.int.test.ts). */
  | { access: "procedures" };

/** The concrete objects the sample URLs name (looked up or made in the spec's setup). */
export interface SampleWorld {
  courseSlug: string;
  hubSlug: string;
  /** A request by DATA 101's instructor. */
  requestId: string;
  assignmentSlug: string;
  assignmentId: string;
  /** The student's submission to that assignment. */
  submissionId: string;
  linkCode: string;
}

export interface SampleRequest {
  path: string;
  method?: "GET" | "POST";
  /** A JSON body for a POST. */
  body?: unknown;
  /** Opened in a browser (pages, and routes that lead to pages) rather than as a plain request. */
  isPage: boolean;
}

export interface RouteAccess {
  rule: AccessRule;
  sample: (world: SampleWorld) => SampleRequest;
}

const page = (path: string): SampleRequest => ({ path, isPage: true });
const request = (path: string, method: "GET" | "POST" = "GET", body?: unknown): SampleRequest => ({
  path,
  method,
  body,
  isPage: false,
});
const course = (world: SampleWorld) => `/courses/${world.courseSlug}`;
const interactQuery = (world: SampleWorld) =>
  `course=${world.courseSlug}&repo=https://github.com/westvalley-data/labs&path=week1/intro.ipynb`;

/** Every page and route handler, by its path pattern under apps/portal/src/app. */
export const routeAccess: Record<string, RouteAccess> = {
  // Pages
  "/": { rule: { access: "public" }, sample: () => page("/") },
  "/signin": { rule: { access: "public" }, sample: () => page("/signin") },
  "/join": { rule: { access: "signed-in" }, sample: () => page("/join") },
  "/join/[code]": { rule: { access: "signed-in" }, sample: () => page("/join/ABCDE-FGHJK") },
  "/invitations": { rule: { access: "signed-in" }, sample: () => page("/invitations") },
  "/invitations/[token]": {
    rule: { access: "signed-in" },
    sample: () => page("/invitations/not-a-real-invitation-token"),
  },
  "/notifications": { rule: { access: "signed-in" }, sample: () => page("/notifications") },
  "/request": { rule: { access: "signed-in" }, sample: () => page("/request") },
  "/requests": { rule: { access: "signed-in" }, sample: () => page("/requests") },
  "/requests/[id]": {
    rule: {
      access: "permission",
      actions: ["request.read"],
      owner: { role: "instructor", why: "DATA 101's instructor made the request" },
    },
    sample: (world) => page(`/requests/${world.requestId}`),
  },
  "/courses/[slug]": {
    rule: { access: "permission", actions: ["course.read"] },
    sample: (world) => page(course(world)),
  },
  "/courses/[slug]/roster": {
    rule: { access: "permission", actions: ["course.read"] },
    sample: (world) => page(`${course(world)}/roster`),
  },
  "/courses/[slug]/schedule": {
    rule: { access: "permission", actions: ["course.read"] },
    sample: (world) => page(`${course(world)}/schedule`),
  },
  "/courses/[slug]/links": {
    rule: { access: "permission", actions: ["course.read"] },
    sample: (world) => page(`${course(world)}/links`),
  },
  "/courses/[slug]/gradebook": {
    rule: { access: "permission", actions: ["gradebook.read"] },
    sample: (world) => page(`${course(world)}/gradebook`),
  },
  "/courses/[slug]/assignments": {
    rule: { access: "permission", actions: ["gradebook.read", "assignment.submit"] },
    sample: (world) => page(`${course(world)}/assignments`),
  },
  "/courses/[slug]/assignments/[assignment]": {
    rule: { access: "permission", actions: ["gradebook.read", "assignment.submit"] },
    sample: (world) => page(`${course(world)}/assignments/${world.assignmentSlug}`),
  },
  "/courses/[slug]/submissions/[id]": {
    rule: {
      access: "permission",
      actions: ["gradebook.read"],
      owner: { role: "student", why: "the student made the submission" },
    },
    sample: (world) => page(`${course(world)}/submissions/${world.submissionId}`),
  },
  "/courses/[slug]/launch": {
    rule: { access: "permission", actions: ["hub.launch"] },
    sample: (world) => page(`${course(world)}/launch`),
  },
  "/i/[code]/status": {
    rule: { access: "permission", actions: ["hub.launch"] },
    sample: (world) => page(`/i/${world.linkCode}/status`),
  },
  "/interact/status": {
    rule: { access: "permission", actions: ["hub.launch"] },
    sample: (world) => page(`/interact/status?${interactQuery(world)}`),
  },
  "/ops": {
    rule: { access: "permission", actions: ["request.review"] },
    sample: () => page("/ops"),
  },
  "/ops/capacity": {
    rule: { access: "permission", actions: ["capacity.review"] },
    sample: () => page("/ops/capacity"),
  },
  "/ops/credits": {
    rule: { access: "permission", actions: ["credits.read"] },
    sample: () => page("/ops/credits"),
  },
  "/ops/hubs": {
    rule: { access: "permission", actions: ["fleet.read"] },
    sample: () => page("/ops/hubs"),
  },
  "/ops/jobs": {
    rule: { access: "permission", actions: ["system.jobs.manage"] },
    sample: () => page("/ops/jobs"),
  },
  "/ops/audit": {
    rule: { access: "permission", actions: ["audit.read"] },
    sample: () => page("/ops/audit"),
  },
  "/ops/hubs/[slug]": {
    rule: { access: "permission", actions: ["hub.read"] },
    sample: (world) => page(`/ops/hubs/${world.hubSlug}`),
  },
  "/ops/identity": {
    rule: { access: "permission", actions: ["identity.manage"] },
    sample: () => page("/ops/identity"),
  },
  "/ops/requests/[id]": {
    rule: { access: "permission", actions: ["request.review"] },
    sample: (world) => page(`/ops/requests/${world.requestId}`),
  },

  // Route handlers
  "/api/auth/[...nextauth]": {
    rule: { access: "public" },
    sample: () => request("/api/auth/providers"),
  },
  "/api/health": { rule: { access: "public" }, sample: () => request("/api/health") },
  "/api/health/live": { rule: { access: "public" }, sample: () => request("/api/health/live") },
  "/api/health/ready": { rule: { access: "public" }, sample: () => request("/api/health/ready") },
  "/api/ops/hubs": {
    rule: { access: "permission", actions: ["fleet.read"] },
    sample: () => request("/api/ops/hubs"),
  },
  "/api/ops/audit": {
    rule: { access: "permission", actions: ["audit.read"] },
    sample: () => request("/api/ops/audit"),
  },
  "/api/trpc/[trpc]": { rule: { access: "procedures" }, sample: () => request("/api/trpc/me.get") },
  "/api/courses/[slug]/gradebook": {
    rule: { access: "permission", actions: ["gradebook.read"] },
    sample: (world) => request(`/api/courses/${world.courseSlug}/gradebook`),
  },
  "/api/credits/export": {
    rule: { access: "permission", actions: ["credits.read"] },
    sample: () => request(`/api/credits/export?month=${new Date().toISOString().slice(0, 7)}`),
  },
  "/api/hubs/[hubSlug]/assignments/[assignmentId]/material": {
    rule: { access: "hub-token" },
    sample: (world) =>
      request(`/api/hubs/${world.hubSlug}/assignments/${world.assignmentId}/material`),
  },
  "/api/hubs/[hubSlug]/assignments/[assignmentId]/submissions": {
    rule: { access: "hub-token" },
    sample: (world) =>
      request(`/api/hubs/${world.hubSlug}/assignments/${world.assignmentId}/submissions`, "POST", {
        notebook: "{}",
      }),
  },
  // The content-link router: straight to the hub for those enrolled, else join or sign in.
  "/i/[code]": {
    rule: { access: "permission", actions: ["hub.launch"] },
    sample: (world) => page(`/i/${world.linkCode}`),
  },
  "/interact": {
    rule: { access: "permission", actions: ["hub.launch"] },
    sample: (world) => page(`/interact?${interactQuery(world)}`),
  },
};

/** The roles a rule lets in, from the permission table. */
export function rolesAllowedBy(rule: AccessRule): readonly Role[] {
  switch (rule.access) {
    case "public":
    case "signed-in":
    case "procedures":
      return roles;
    case "hub-token":
      return [];
    case "permission":
      return roles.filter(
        (role) =>
          rule.actions.some((action) =>
            (permissionTable[action] as readonly Role[]).includes(role),
          ) || rule.owner?.role === role,
      );
  }
}

/** Whether a visitor (not signed in) is let in. */
export function isOpenToVisitors(rule: AccessRule): boolean {
  return rule.access === "public";
}

/**
 * Every page and route handler on disk, as the path pattern Next serves it at: route groups
 * `(name)` take no part in the path.
 */
export function routesOnDisk(appDirectory: string): string[] {
  const found: string[] = [];
  const walk = (directory: string, segments: string[]) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        const segment = /^\(.*\)$/.test(entry.name) ? [] : [entry.name];
        walk(path.join(directory, entry.name), [...segments, ...segment]);
      } else if (/^(page|route)\.(tsx?|jsx?)$/.test(entry.name)) {
        found.push(`/${segments.join("/")}`);
      }
    }
  };
  walk(appDirectory, []);
  return found.sort();
}
