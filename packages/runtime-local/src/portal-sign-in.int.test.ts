import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeLocalHubFiles } from "./config";
import { listActiveServers } from "./health";
import { localHubCallbackUrl, localHubOrigin, parseLocalHub, type LocalHub } from "./hub";
import { allocateHubPorts } from "./ports";
import { LocalHubSupervisor } from "./supervisor";
import { HttpBrowser } from "./test-browser";
import {
  startTestOidcProvider,
  testProviderPortalPage,
  type TestAccount,
  type TestOidcProvider,
} from "./test-oidc-provider";
import { createTemporaryHubsDirectory, releaseLocalHubsUnder } from "./accounts";

// A real Debian JupyterHub with the shipped authenticator against a real OpenID Connect provider
// (oidc-provider, configured like the portal's): the whole browser-less sign-in over HTTP.

const courseSlug = "phys-101";
const courseName = "Physics 101: Mechanics";
const clientId = "hub-phys-101";
const clientSecret = randomBytes(32).toString("base64url");
const portalToken = randomBytes(24).toString("hex");

function account(sub: string, username: string, groups: string[]): TestAccount {
  return {
    sub,
    preferredUsername: username,
    email: `${username}@example.edu`,
    name: username,
    groups,
  };
}

let workDirectory = "";
let hub: LocalHub;
let hubOrigin = "";
let supervisor: LocalHubSupervisor;
let provider: TestOidcProvider;

beforeAll(async () => {
  workDirectory = await createTemporaryHubsDirectory("hubfed-portal-sign-in-");
  // A range of its own: test files run in parallel, and another file's hub may hold a port it
  // has allocated but not bound yet.
  const ports = await allocateHubPorts({ range: { first: 19_200, last: 19_299 }, takenPorts: [] });
  const callbackUrl = localHubCallbackUrl({ ports, publicHost: "127.0.0.1" });
  provider = await startTestOidcProvider({
    clients: [{ clientId, clientSecret, redirectUri: callbackUrl }],
    accounts: [
      account("u-sam", "sam", [`${courseSlug}:student`, "chem-200:ta"]),
      account("u-ines", "ines", [`${courseSlug}:instructor`]),
      account("u-olga", "olga", ["chem-200:student", `${courseSlug}-honors:student`]),
      account("u-tara", "tara", [`${courseSlug}:ta`]),
    ],
  });
  hub = parseLocalHub({
    hubSlug: courseSlug,
    dataDirectory: path.join(workDirectory, "hub"),
    ports,
    spec: {
      memoryLimitMib: 1024,
      memoryGuaranteeMib: 256,
      cpuLimitMilli: 1000,
      storageGib: 1,
      cullTimeoutSeconds: 0,
      cullMaxAgeSeconds: 0,
      startTimeoutSeconds: 60,
      interface: "classic",
    },
    serviceTokens: { portal: portalToken },
    authentication: {
      kind: "portal-oidc",
      issuerUrl: provider.issuerUrl,
      clientId,
      clientSecret,
      courseSlug,
      courseName,
      portalUrl: provider.portalUrl,
    },
  });
  hubOrigin = localHubOrigin(hub);
  await writeLocalHubFiles(hub);
  supervisor = new LocalHubSupervisor({ hub, environment: process.env });
  await supervisor.start();
  await supervisor.waitUntilReady({ timeoutMs: 60_000 });
}, 90_000);

afterAll(async () => {
  await supervisor?.stop();
  await provider?.close();
  if (workDirectory) await releaseLocalHubsUnder(workDirectory);
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

interface SignIn {
  landing: Response;
  /** Every page that answered (not redirects), in order. */
  pages: URL[];
}

/** Opens `hubPath` and, when the portal asks who is signing in, picks `accountSub`. */
async function openHub(
  browser: HttpBrowser,
  accountSub: string,
  hubPath = "/hub/login",
): Promise<SignIn> {
  const pages: URL[] = [];
  const landing = await browser.follow(await browser.request(`${hubOrigin}${hubPath}`), {
    onPage: async (page) => {
      const url = new URL(page.url);
      pages.push(url);
      const interaction = /^\/interaction\/([^/]+)$/.exec(url.pathname);
      if (url.origin !== provider.portalUrl || !interaction) return undefined;
      await page.body?.cancel();
      return browser.request(`${provider.portalUrl}/interaction/${interaction[1]}/login`, {
        method: "POST",
        body: new URLSearchParams({ account: accountSub }),
      });
    },
  });
  return { landing, pages };
}

async function hubApi(target: string): Promise<Response> {
  return fetch(`${hubOrigin}/hub/api${target}`, {
    headers: { Authorization: `token ${portalToken}` },
  });
}

async function adminPageStatus(browser: HttpBrowser): Promise<number> {
  const response = await browser.request(`${hubOrigin}/hub/admin`);
  await response.body?.cancel();
  return response.status;
}

async function logOut(browser: HttpBrowser): Promise<Response> {
  return browser.follow(await browser.request(`${hubOrigin}/hub/logout`));
}

describe("signing in to a local hub through the portal", () => {
  it("takes an enrolled student from the portal into a running server, no hub login form", async () => {
    const browser = new HttpBrowser();
    const startedAt = performance.now();
    const { landing, pages } = await openHub(browser, "u-sam");
    console.log(
      `portal sign-in to a running server in ${Math.round(performance.now() - startedAt)} ms`,
    );

    expect(landing.status).toBe(200);
    expect(new URL(landing.url).pathname).toBe("/user/sam/tree");
    // The only pages on the way: the portal's sign-in, then the server. Never /hub/login's form.
    expect(
      pages.map((page) => `${page.origin === hubOrigin ? "hub" : "portal"} ${page.pathname}`),
    ).toEqual([expect.stringMatching(/^portal \/interaction\/[^/]+$/), "hub /user/sam/tree"]);

    const authorize = new URL(
      browser.visited.find((url) => url.startsWith(`${provider.issuerUrl}/auth?`)) ?? "",
    );
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: "code",
      client_id: clientId,
      redirect_uri: `${hubOrigin}/hub/oauth_callback`,
      scope: "openid profile email groups",
      code_challenge_method: "S256",
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as string,
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as string,
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as string,
    });

    const servers = await listActiveServers(hub, portalToken);
    expect(servers.servers).toEqual([
      expect.objectContaining({ userName: "sam", serverName: "", isReady: true }),
    ]);
    expect(await adminPageStatus(browser)).toBe(403);
  }, 120_000);

  it("signs in again without the portal's form, and logout returns to the portal", async () => {
    const browser = new HttpBrowser();
    await openHub(browser, "u-sam", "/hub/home");
    const loggedOut = await logOut(browser);
    expect(loggedOut.url).toBe(`${provider.portalUrl}/`);
    expect(await loggedOut.text()).toContain(testProviderPortalPage);
    expect((await browser.request(`${hubOrigin}/hub/home`)).status).toBe(302);

    // The portal still knows the student: straight back in, through the hub's OAuth callback.
    const { landing, pages } = await openHub(browser, "u-sam", "/hub/home");
    expect(pages.map((page) => page.pathname)).toEqual(["/hub/home"]);
    expect(landing.status).toBe(200);
    expect(browser.visited.filter((url) => /\/interaction\/[^/]+$/.test(url))).toHaveLength(1);
  }, 120_000);

  it("refuses a user who is not enrolled with a clear page, and makes no hub account", async () => {
    const browser = new HttpBrowser();
    const { landing } = await openHub(browser, "u-olga");
    expect(landing.status).toBe(403);
    expect(new URL(landing.url).pathname).toBe("/hub/oauth_callback");
    const page = await landing.text();
    expect(page).toContain(
      `You are not enrolled in Physics 101: Mechanics. Ask your instructor for a join link, or go back to <a href="${provider.portalUrl}/">`,
    );
    expect(page).not.toContain("Internal Server Error");
    expect((await hubApi("/users/olga")).status).toBe(404);
    expect((await hubApi("/users/sam")).status).toBe(200);
  }, 120_000);

  it("makes instructors admins, and a changed role counts from the next sign-in", async () => {
    const browser = new HttpBrowser();
    const { landing } = await openHub(browser, "u-ines");
    expect(new URL(landing.url).pathname).toBe("/user/ines/tree");
    expect(await adminPageStatus(browser)).toBe(200);

    const ines = provider.accounts.get("u-ines");
    if (!ines) throw new Error("no account");
    ines.groups = [`${courseSlug}:student`];
    expect(await adminPageStatus(browser)).toBe(200);
    await logOut(browser);
    await openHub(browser, "u-ines", "/hub/home");
    expect(await adminPageStatus(browser)).toBe(403);

    // Unenrolled: the next sign-in is refused.
    ines.groups = [];
    await logOut(browser);
    const refused = await openHub(browser, "u-ines", "/hub/home");
    expect(refused.landing.status).toBe(403);
    expect(await refused.landing.text()).toContain("You are not enrolled in Physics 101");
  }, 120_000);

  it("refuses a callback with a wrong state, and the same callback again", async () => {
    const browser = new HttpBrowser();
    const redirect = await browser.follow(await browser.request(`${hubOrigin}/hub/login`), {
      stopBefore: (url) => url.origin === hubOrigin && url.pathname === "/hub/oauth_callback",
      onPage: async (page) => {
        const interaction = /^\/interaction\/([^/]+)$/.exec(new URL(page.url).pathname);
        if (!interaction) return undefined;
        await page.body?.cancel();
        return browser.request(`${provider.portalUrl}/interaction/${interaction[1]}/login`, {
          method: "POST",
          body: new URLSearchParams({ account: "u-tara" }),
        });
      },
    });
    const callback = new URL(redirect.headers.get("location") ?? "", redirect.url);
    expect(callback.searchParams.get("code")).toBeTruthy();

    const tampered = new URL(callback);
    tampered.searchParams.set("state", randomBytes(32).toString("base64url"));
    const refused = await browser.request(tampered.toString());
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("This sign-in was not started here or took too long.");

    // The flow's cookie went with the first attempt: the genuine callback now fails as well.
    const replayed = await browser.request(callback.toString());
    expect(replayed.status).toBe(400);
    await replayed.body?.cancel();
    expect(browser.hasCookie(hubOrigin, "jupyterhub-hub-login")).toBe(false);
    expect((await hubApi("/users/tara")).status).toBe(404);
  }, 120_000);
});
