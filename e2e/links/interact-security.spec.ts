import { expect, test, type APIResponse } from "@playwright/test";
import { pageFor } from "../support/sign-in";

// A handful of the security table over real HTTP against the production
// portal's route handlers (the full table runs against core in
// packages/core/src/links/resolve-interact.int.test.ts): every malicious link is
// refused with a message, and no answer sends the browser off the portal.

const malicious: Array<{ name: string; path: string; message: RegExp }> = [
  {
    name: "repository on another host",
    path: "/interact?course=wvc-data-101-fa26&repo=https://evil.example/westvalley-data/labs",
    message: /evil\.example\/westvalley-data is not among this course's allowed repositories/,
  },
  {
    name: "protocol-relative repository",
    path: "/interact?course=wvc-data-101-fa26&repo=//evil.example/x/y",
    message: /full HTTPS URL/,
  },
  {
    name: "argument injection",
    path: "/interact?course=wvc-data-101-fa26&repo=--upload-pack%3Dtouch%20/tmp/pwned",
    message: /cannot start with “-”/,
  },
  {
    name: "credentials in the repository",
    path: "/interact?course=wvc-data-101-fa26&repo=https://github.com@evil.example/westvalley-data/labs",
    message: /credentials/,
  },
  {
    name: "encoded traversal in urlpath",
    path: "/interact?course=wvc-data-101-fa26&repo=https://github.com/westvalley-data/labs&urlpath=lab/tree/%252e%252e/hub",
    message: /“%”/,
  },
  {
    name: "dot-folder target",
    path: "/interact?course=wvc-data-101-fa26&repo=https://github.com/westvalley-data/labs&targetPath=.ipython/profile_default/startup",
    message: /hidden/,
  },
  {
    name: "bad branch",
    path: "/interact?course=wvc-data-101-fa26&repo=https://github.com/westvalley-data/labs&branch=a..b",
    message: /“\.\.”/,
  },
  {
    name: "header injection",
    path: "/interact?course=wvc-data-101-fa26&repo=https://github.com/westvalley-data/labs&urlpath=lab%0d%0aLocation:%20https://evil.example",
    message: /control characters/,
  },
  {
    name: "markup in a parameter is shown as text",
    path: "/interact?course=wvc-data-101-fa26&repo=https://github.com/westvalley-data/%3Cscript%3Ealert(1)%3C",
    message: /not a valid organisation or repository name/,
  },
  { name: "unknown code", path: "/i/zzzzzzzz", message: /No content link/ },
  { name: "traversal in a code", path: "/i/..%2F..%2Fops", message: /No content link/ },
];

function expectStaysOnPortal(response: APIResponse, baseURL: string) {
  const location = response.headers()["location"];
  if (!location) return;
  expect(new URL(location, baseURL).origin).toBe(new URL(baseURL).origin);
}

test("malicious interact links are refused over HTTP and never redirect off the portal", async ({
  browser,
  baseURL,
}) => {
  const student = await pageFor(browser, "student@westvalley.edu");
  for (const row of malicious) {
    const first = await student.request.get(row.path, { maxRedirects: 0 });
    expect(first.status(), row.name).toBeGreaterThanOrEqual(300);
    expect(first.status(), row.name).toBeLessThan(400);
    expectStaysOnPortal(first, baseURL!);
    await student.goto(row.path);
    expect(new URL(student.url()).origin, row.name).toBe(new URL(baseURL!).origin);
    const refusal = student.getByTestId("interact-refused");
    await expect(refusal, row.name).toContainText(row.message);
    const html = await student.content();
    expect(html).not.toContain("<script>alert(1)");
  }

  // Signed out, a valid-looking link sends the visitor to sign in with a path-only return.
  const visitor = await browser.newContext();
  const signedOut = await visitor.request.get("/i/abcdefgh", { maxRedirects: 0 });
  expect(signedOut.status()).toBe(303);
  expect(signedOut.headers()["location"]).toBe("/i/abcdefgh/status");
  // And the sign-in page ignores callbacks that are not paths on the portal.
  const page = await visitor.newPage();
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("https://evil.example/")}`);
  await page.getByLabel("Email").fill("student@westvalley.edu");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  await visitor.close();
});

test("anti-framing: every portal response forbids framing", async ({ browser }) => {
  const visitor = await browser.newContext();
  // A page, a route handler's redirect, the click path beside Next, the OIDC provider, Next's
  // files and a 404: each kind of response server.ts sends.
  const page = await visitor.newPage();
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto("/signin");
  // The HTML as served (the browser hides a nonce from the DOM once it has used it): every
  // script Next renders carries this response's nonce.
  const signIn = await visitor.request.get("/signin");
  const html = await signIn.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  const nonce = /'nonce-([^']+)'/.exec(signIn.headers()["content-security-policy"] ?? "")?.[1];
  expect(nonce).toBeTruthy();
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  const firstScript = /<script\b[^>]*\bsrc="([^"]+)"/.exec(html)?.[1] ?? "/favicon.ico";
  const responses = [
    signIn,
    await visitor.request.get("/i/abcdefgh", { maxRedirects: 0 }),
    await visitor.request.get("/interact?course=nope", { maxRedirects: 0 }),
    await visitor.request.get("/oidc/.well-known/openid-configuration"),
    await visitor.request.get(firstScript),
    await visitor.request.get("/no-such-page"),
  ];
  for (const response of responses) {
    const headers = response.headers();
    expect(headers["x-frame-options"], response.url()).toBe("DENY");
    expect(headers["content-security-policy"], response.url()).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"], response.url()).toBe("nosniff");
    expect(headers["referrer-policy"], response.url()).toBe("strict-origin-when-cross-origin");
  }
  // The policy lets the portal's own scripts run: the development sign-in works in the browser.
  await page.getByLabel("Email").fill("student@westvalley.edu");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
  expect(violations).toEqual([]);
  await visitor.close();
});

test("malformed session cookies: a garbage session cookie reads as signed out", async ({
  playwright,
  baseURL,
}) => {
  const garbage = [
    "garbage",
    "%E0%A4%A",
    "a.b.c.d.e",
    "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAA.AAAA.AAAA",
    "x".repeat(3000),
  ];
  const paths = [
    "/",
    "/signin",
    "/courses/wvc-data-101-fa26",
    "/i/abcdefgh",
    "/interact?course=wvc-data-101-fa26&repo=https://github.com/westvalley-data/labs",
    "/api/auth/session",
    "/api/trpc/notification.unreadCount",
    "/oidc/auth?client_id=x&response_type=code&scope=openid&redirect_uri=https://hub.example/cb",
  ];
  for (const value of garbage)
    for (const name of ["next-auth.session-token", "next-auth.session-token.0"]) {
      const context = await playwright.request.newContext({
        baseURL,
        extraHTTPHeaders: { cookie: `${name}=${value}` },
      });
      for (const path of paths) {
        const response = await context.get(path, { maxRedirects: 0 });
        expect(response.status(), `${path} with ${name}=${value.slice(0, 20)}`).toBeLessThan(500);
      }
      const session = await context.get("/api/auth/session");
      expect(await session.json()).toEqual({});
      await context.dispose();
    }
});
