import { expect, test, type APIRequestContext } from "@playwright/test";
import { hostileReturnTargetsFor } from "@hubfed/auth/hostile-return-targets";
import { withDatabase } from "../support/local-hub-course";
import { pageFor } from "../support/sign-in";

// Open redirect, at every place the portal redirects to a value the caller chose (the inventory
// is apps/portal/src/redirect-call-sites.test.ts): the sign-in page's callbackUrl, next-auth's
// callbackUrl after signing in, and the join page's `next`. Each hostile target of the shared
// list must end on the portal, over real HTTP against the production build.

/** Where a redirect would take the browser, resolved as the browser resolves it. */
function landsOn(location: string, baseURL: string): URL {
  return new URL(location, baseURL);
}

function expectOnPortal(target: URL, baseURL: string, what: string) {
  expect(target.origin, what).toBe(new URL(baseURL).origin);
  expect(target.pathname.startsWith("//"), what).toBe(false);
}

async function signInThroughNextAuth(
  request: APIRequestContext,
  baseURL: string,
  callbackUrl: string,
): Promise<string> {
  const { csrfToken } = (await (await request.get(`${baseURL}/api/auth/csrf`)).json()) as {
    csrfToken: string;
  };
  const response = await request.post(`${baseURL}/api/auth/callback/development`, {
    form: { csrfToken, email: "student@westvalley.edu", callbackUrl, json: "true" },
    maxRedirects: 0,
  });
  const body = (await response.json().catch(() => ({}))) as { url?: string };
  return body.url ?? response.headers()["location"] ?? "";
}

test("open redirect: no caller-supplied return target leaves the portal", async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(5 * 60_000);
  const base = baseURL ?? "";
  const targets = hostileReturnTargetsFor(new URL(base).origin);
  const student = await pageFor(browser, "student@westvalley.edu");
  // A code of the student's own course: the join page offers "Continue to your link".
  await withDatabase((client) =>
    client.query(
      `INSERT INTO "JoinCode" (id, "courseId", code, role)
       SELECT 'e2e-open-redirect', id, 'RDRCT-EXT23', 'STUDENT' FROM "Course"
       WHERE slug = 'wvc-data-101-fa26'
       ON CONFLICT DO NOTHING`,
    ),
  );
  // The control: a path on the portal is kept at every call site.
  const signInPage = await student.request.get(`${base}/signin?callbackUrl=%2Fnotifications`, {
    maxRedirects: 0,
  });
  expect(landsOn(signInPage.headers()["location"] ?? "", base).pathname).toBe("/notifications");
  await student.goto(`${base}/join/RDRCT-EXT23?next=%2Fi%2Faccess01`);
  await expect(student.getByTestId("join-continue")).toHaveAttribute("href", "/i/access01");

  for (const target of targets) {
    const encoded = encodeURIComponent(target);

    // The sign-in page sends someone already signed in straight to callbackUrl.
    const answer = await student.request.get(`${base}/signin?callbackUrl=${encoded}`, {
      maxRedirects: 0,
    });
    expect(answer.status(), `/signin ${target}`).toBeGreaterThanOrEqual(300);
    expectOnPortal(landsOn(answer.headers()["location"] ?? "", base), base, `/signin ${target}`);

    // next-auth's own callbackUrl, after a sign-in.
    const fresh = await playwright.request.newContext();
    try {
      const url = await signInThroughNextAuth(fresh, base, target);
      expectOnPortal(landsOn(url, base), base, `next-auth ${target}`);
    } finally {
      await fresh.dispose();
    }

    // The join page's `next`: no link off the portal, on the page or in the join button.
    await student.goto(`${base}/join/RDRCT-EXT23?next=${encoded}`);
    const continueLink = student.getByTestId("join-continue");
    if ((await continueLink.count()) > 0)
      expectOnPortal(
        landsOn((await continueLink.getAttribute("href")) ?? "", base),
        base,
        `/join next ${target}`,
      );
  }
});
