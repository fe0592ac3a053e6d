import path from "node:path";
import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { roles, type Role } from "@hubfed/auth/permissions";
import { withDatabase } from "../support/local-hub-course";
import { signInAs } from "../support/sign-in";
import {
  isOpenToVisitors,
  rolesAllowedBy,
  routeAccess,
  routesOnDisk,
  type SampleRequest,
  type SampleWorld,
} from "./page-access";

// Broken access control, page by page: the authorization matrix of the API covers every
// procedure × role; this covers every page and route handler × role, over real HTTP against the
// production build. A page or route added without a rule in page-access.ts fails the first test;
// one that lets in a role its rule does not (or keeps out one it does) fails the second.

const accounts: Record<Role, string> = {
  ops: "ops@hubfed.example",
  "institution-admin": "it-admin@westvalley.edu",
  instructor: "prof.rivera@westvalley.edu",
  ta: "ta.chen@westvalley.edu",
  student: "student@westvalley.edu",
};

const appDirectory = path.resolve("apps/portal/src/app");

/** What happened when someone opened a page or called a route. */
type Outcome =
  | { kind: "let-in"; detail: string }
  | { kind: "sent-to-sign-in"; detail: string }
  | { kind: "refused"; detail: string };

/**
 * DATA 101's sample objects: its request, hub and content material. An assignment, a submission
 * by the student and a content link are made once (copies of CS 120's seeded ones).
 */
async function prepareWorld(): Promise<SampleWorld> {
  return withDatabase(async (client) => {
    const one = async (sql: string, parameters: unknown[] = []) => {
      const result = await client.query<{ id: string }>(sql, parameters);
      const row = result.rows[0];
      if (!row) throw new Error(`no row for ${sql}`);
      return row.id;
    };
    const courseId = await one(`SELECT id FROM "Course" WHERE slug = 'wvc-data-101-fa26'`);
    const studentId = await one(`SELECT id FROM "User" WHERE email = $1`, [accounts.student]);
    const requestId = await one(
      `SELECT r.id FROM "HubRequest" r JOIN "User" u ON u.id = r."requesterId"
       WHERE r."courseId" = $1 AND u.email = $2 ORDER BY r."createdAt" LIMIT 1`,
      [courseId, accounts.instructor],
    );
    await client.query(
      `INSERT INTO "Assignment" (id, "courseId", slug, title, "dueAt", "timeZone", "latePolicy",
         "latePenaltyPercentPerDay", points, "attemptsAllowed", "hiddenResults", source,
         "repositoryUrl", branch, "repositoryPath", "notebookName", material, "materialRevision",
         "publishedAt", "createdById", "updatedAt")
       SELECT 'e2e-access-assignment', $1, 'access-lab', 'Access lab', "dueAt", "timeZone",
         "latePolicy", "latePenaltyPercentPerDay", points, "attemptsAllowed", "hiddenResults",
         source, "repositoryUrl", branch, "repositoryPath", "notebookName", material,
         "materialRevision", now(), NULL, now()
       FROM "Assignment" WHERE slug = 'lab-1'
       ON CONFLICT DO NOTHING`,
      [courseId],
    );
    await client.query(
      `INSERT INTO "Submission" (id, "assignmentId", "userId", attempt, channel, notebook,
         "notebookSha256", status, "gradedAt", "testScore", "testMaxScore", score, results,
         "materialRevision")
       VALUES ('e2e-access-submission', 'e2e-access-assignment', $1, 1, 'PORTAL', '{}', 'e2e',
         'GRADED', now(), 1, 1, 10, '[]', 1)
       ON CONFLICT DO NOTHING`,
      [studentId],
    );
    await client.query(
      `INSERT INTO "ContentLink" (id, "courseId", code, title, "repositoryUrl", branch, path,
         interface)
       VALUES ('e2e-access-link', $1, 'access01', 'Access week 1',
         'https://github.com/westvalley-data/labs', 'main', 'week1/intro.ipynb', 'CLASSIC')
       ON CONFLICT DO NOTHING`,
      [courseId],
    );
    return {
      courseSlug: "wvc-data-101-fa26",
      hubSlug: "wvc-data-101-fa26",
      requestId,
      assignmentSlug: "access-lab",
      assignmentId: "e2e-access-assignment",
      submissionId: "e2e-access-submission",
      linkCode: "access01",
    };
  });
}

async function contextFor(browser: Browser, role: Role | undefined): Promise<BrowserContext> {
  const context = await browser.newContext();
  if (role) {
    const page = await context.newPage();
    await signInAs(page, accounts[role]);
    await page.close();
  }
  return context;
}

/**
 * Opens a page in the browser: it lets the person in unless it sends them to sign in, answers
 * with an error status, renders a refusal (`data-refusal`), or its own API calls are refused. A
 * redirect off the portal (to the course's hub) lets them in; the hub is not visited.
 */
async function openPage(
  context: BrowserContext,
  baseURL: string,
  sample: SampleRequest,
): Promise<Outcome> {
  const portal = new URL(baseURL).origin;
  const page = await context.newPage();
  const refusedCalls: string[] = [];
  page.on("response", (response) => {
    if (response.url().includes("/api/trpc/") && [401, 403, 404].includes(response.status()))
      refusedCalls.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  let leftFor: string | undefined;
  await page.route(
    (url) => url.origin !== portal,
    async (route) => {
      leftFor ??= route.request().url();
      await route.fulfill({ status: 200, contentType: "text/html", body: "<p>the hub</p>" });
    },
  );
  try {
    const response = await page.goto(`${baseURL}${sample.path}`, { waitUntil: "load" });
    // The page's own API calls (client components) settle; pages that poll never go idle.
    await page.waitForLoadState("networkidle", { timeout: 3_000 }).catch(() => undefined);
    if (leftFor) return { kind: "let-in", detail: `sent to ${new URL(leftFor).origin}` };
    const landed = new URL(page.url());
    if (landed.pathname === "/signin" && !sample.path.startsWith("/signin"))
      return { kind: "sent-to-sign-in", detail: landed.toString() };
    const status = response?.status() ?? 0;
    if (status >= 400) return { kind: "refused", detail: `HTTP ${status}` };
    // Read at once, not waited for: the page has settled (a refusal rendered on the server is in
    // the HTML, one rendered after a refused call came with that call), and a wait here cost
    // every page that lets the person in a second.
    const refusals = page.locator("[data-refusal]");
    const refusal =
      (await refusals.count()) > 0 ? await refusals.first().getAttribute("data-refusal") : null;
    if (refusal) return { kind: "refused", detail: `shows ${refusal}` };
    if (refusedCalls.length > 0) return { kind: "refused", detail: refusedCalls.join(", ") };
    return { kind: "let-in", detail: `HTTP ${status} at ${landed.pathname}` };
  } finally {
    await page.close();
  }
}

/** Calls a route handler with the context's session (no redirects followed). */
async function callRoute(context: BrowserContext, baseURL: string, sample: SampleRequest) {
  const response = await context.request.fetch(`${baseURL}${sample.path}`, {
    method: sample.method ?? "GET",
    maxRedirects: 0,
    ...(sample.body === undefined ? {} : { data: sample.body }),
  });
  const status = response.status();
  const location = response.headers()["location"] ?? "";
  if (status >= 300 && status < 400 && new URL(location, baseURL).pathname === "/signin")
    return { kind: "sent-to-sign-in", detail: location } as const;
  if (status === 401) return { kind: "sent-to-sign-in", detail: "HTTP 401" } as const;
  if (status >= 400) return { kind: "refused", detail: `HTTP ${status}` } as const;
  return { kind: "let-in", detail: `HTTP ${status}` } as const;
}

test.describe("broken access control: every page and route handler × every role", () => {
  test("every page and route handler on disk has an access rule, and every rule a page", () => {
    const onDisk = routesOnDisk(appDirectory);
    expect(onDisk.length).toBeGreaterThan(30);
    const declared = Object.keys(routeAccess).sort();
    expect(
      onDisk.filter((route) => !declared.includes(route)),
      "pages or routes without a rule in e2e/security/page-access.ts",
    ).toEqual([]);
    expect(
      declared.filter((route) => !onDisk.includes(route)),
      "rules for pages or routes that no longer exist",
    ).toEqual([]);
  });

  test("each page and route lets in exactly the roles its rule names", async ({
    browser,
    baseURL,
  }) => {
    test.setTimeout(15 * 60_000);
    const base = baseURL ?? "";
    const world = await prepareWorld();
    const mismatches: string[] = [];
    const seen: string[] = [];
    for (const who of [undefined, ...roles] as const) {
      const context = await contextFor(browser, who);
      try {
        for (const [route, access] of Object.entries(routeAccess)) {
          const sample = access.sample(world);
          const outcome = sample.isPage
            ? await openPage(context, base, sample)
            : await callRoute(context, base, sample);
          const name = who ?? "visitor";
          seen.push(`${route} ${name}: ${outcome.kind}`);
          const expected = who
            ? rolesAllowedBy(access.rule).includes(who)
              ? "let-in"
              : "refused"
            : isOpenToVisitors(access.rule)
              ? "let-in"
              : "sent-to-sign-in";
          // A hub route asks everyone for a JupyterHub token (401): refused either way.
          const matches =
            outcome.kind === expected ||
            (access.rule.access === "hub-token" && outcome.kind === "sent-to-sign-in");
          if (!matches)
            mismatches.push(
              `${route} as ${name}: expected ${expected}, got ${outcome.kind} (${outcome.detail}) at ${sample.path}`,
            );
        }
      } finally {
        await context.close();
      }
    }
    console.log(`page access matrix: ${seen.length} checks`);
    expect(mismatches).toEqual([]);
  });

  test("health details only for those with system.health.read", async ({ browser, baseURL }) => {
    for (const who of [undefined, ...roles] as const) {
      const context = await contextFor(browser, who);
      try {
        const body = (await (await context.request.get(`${baseURL}/api/health`)).json()) as {
          database: Record<string, unknown>;
        };
        // Everyone learns each dependency's state (probes need it); only operators its detail,
        // whose wording can name hosts.
        expect("detail" in body.database, who ?? "visitor").toBe(who === "ops");
      } finally {
        await context.close();
      }
    }
  });
});
