import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import * as oidcClient from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { portalOidcEndpoints } from "./endpoints";
import { createIdentityRequestHandler, type IdentityRequestHandler } from "./handler";
import { ensureHubOidcClient } from "./hub-clients";
import { rotateSigningKey } from "./keys";
import { revokeHubSignIns } from "./revocation";
import { createPortalSessionReader } from "./portal-session";
import { createSecretBox } from "./secret-box";
import { CookieBrowser } from "./testing/browser";
import { readyHubsSignPeopleIn, seedCourseHub, type CourseHubFixture } from "./testing/course-hub";

// A conformance-style test of the portal's OpenID Connect provider with a third-party relying
// party library (openid-client) and jose, over real HTTP against a real database.

const database = useTestDatabase();
const secretKey = Buffer.alloc(32, 7).toString("base64");
const secretBox = createSecretBox(secretKey);
const nextAuthSecret = "a-test-nextauth-secret-of-at-least-32-characters";
const callbackUrl = "http://127.0.0.1:9/hub/oauth_callback";

let server: Server;
let portalUrl = "";
let issuer = "";
let identity: IdentityRequestHandler;
let clientId = "";
let clientSecret = "";
let studentId = "";
let outsiderId = "";
let instructorId = "";
const courseSlug = "wvc-data-101-fa26";
let seeded: CourseHubFixture;

beforeAll(async () => {
  const { db } = database();
  seeded = await seedCourseHub(db);
  server = createServer((request, response) => {
    void identity.handle(request, response).then((handled) => {
      if (handled) return;
      response.statusCode = 404;
      response.end("not the provider's");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  portalUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${portalUrl}/oidc`;
  identity = createIdentityRequestHandler(
    {
      db,
      secretBox,
      portalUrl,
      secretKey,
      readPortalSession: createPortalSessionReader({ secret: nextAuthSecret, portalUrl }),
      hubSignsPeopleIn: readyHubsSignPeopleIn,
    },
    { keyCheckIntervalMilliseconds: 0 },
  );
  const client = await ensureHubOidcClient(db, secretBox, {
    hubId: seeded.hub.id,
    hubSlug: seeded.hub.slug,
    redirectUri: callbackUrl,
  });
  clientId = client.clientId;
  clientSecret = client.clientSecret;
  ({ studentId, instructorId, outsiderId } = seeded);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function discover() {
  return oidcClient.discovery(
    new URL(issuer),
    clientId,
    undefined,
    oidcClient.ClientSecretBasic(clientSecret),
    { execute: [oidcClient.allowInsecureRequests] },
  );
}

/** Walks the browser from the authorization request to the hub's callback. */
async function authorize(
  browser: CookieBrowser,
  parameters: Record<string, string>,
): Promise<{ hops: string[]; last: Response }> {
  const config = await discover();
  const url = oidcClient.buildAuthorizationUrl(config, parameters);
  return browser.follow(url.toString(), portalUrl);
}

async function signedInCodeFlow(userIdToSignIn: string) {
  const browser = new CookieBrowser();
  await browser.signInToPortal(userIdToSignIn, nextAuthSecret);
  const verifier = oidcClient.randomPKCECodeVerifier();
  const state = oidcClient.randomState();
  const nonce = oidcClient.randomNonce();
  const { hops } = await authorize(browser, {
    redirect_uri: callbackUrl,
    scope: "openid profile email groups",
    code_challenge: await oidcClient.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { browser, verifier, state, nonce, callback: new URL(hops.at(-1) ?? "") };
}

describe("the portal as an OpenID Connect provider", () => {
  it("publishes discovery and a JWKS with an RS256 signing key", async () => {
    const config = await discover();
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.authorization_endpoint).toBe(`${issuer}/auth`);
    expect(metadata.token_endpoint).toBe(`${issuer}/token`);
    expect(metadata.userinfo_endpoint).toBe(`${issuer}/me`);
    expect(metadata.jwks_uri).toBe(`${issuer}/jwks`);
    // What provisioning hands every hub is what the provider publishes.
    const handedToHubs = portalOidcEndpoints(portalUrl);
    expect(handedToHubs.issuerUrl).toBe(metadata.issuer);
    expect(handedToHubs.authorizeUrl).toBe(metadata.authorization_endpoint);
    expect(handedToHubs.tokenUrl).toBe(metadata.token_endpoint);
    expect(handedToHubs.userinfoUrl).toBe(metadata.userinfo_endpoint);
    expect(metadata.code_challenge_methods_supported).toContain("S256");
    expect(metadata.scopes_supported).toEqual(
      expect.arrayContaining(["openid", "profile", "email", "groups"]),
    );
    const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as {
      keys: { alg: string; d?: string }[];
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys[0]?.alg).toBe("RS256");
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
  });

  it("runs the PKCE code flow without a login form or consent and signs the id token", async () => {
    const { callback, verifier, state, nonce } = await signedInCodeFlow(studentId);
    expect(callback.origin + callback.pathname).toBe(callbackUrl);
    expect(callback.searchParams.get("state")).toBe(state);

    const tokens = await oidcClient.authorizationCodeGrant(await discover(), callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.id_token ?? "";
    const { payload, protectedHeader } = await jwtVerify(
      idToken,
      createRemoteJWKSet(new URL(`${issuer}/jwks`)),
      { issuer, audience: clientId },
    );
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({
      sub: studentId,
      nonce,
      preferred_username: expect.stringMatching(/^[a-z][a-z0-9-]*$/) as unknown,
      email: "student@westvalley.edu",
      groups: [`${courseSlug}:student`],
    });
    expect(typeof payload.name).toBe("string");

    const userinfo = await oidcClient.fetchUserInfo(
      await discover(),
      tokens.access_token,
      studentId,
    );
    expect(userinfo).toMatchObject({ sub: studentId, groups: [`${courseSlug}:student`] });
  });

  it("says an instructor is an instructor, and tells nothing of other courses", async () => {
    const { callback, verifier, state, nonce } = await signedInCodeFlow(instructorId);
    const tokens = await oidcClient.authorizationCodeGrant(await discover(), callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    expect(tokens.claims()?.groups).toEqual([`${courseSlug}:instructor`]);
  });

  it("gives someone who is not enrolled no groups, so the hub can refuse them", async () => {
    const { callback, verifier, state, nonce } = await signedInCodeFlow(outsiderId);
    const tokens = await oidcClient.authorizationCodeGrant(await discover(), callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    expect(tokens.claims()?.groups).toEqual([]);
  });

  it("removes a group at the next sign-in once the enrollment is gone", async () => {
    const { db } = database();
    const course = await db.course.findUniqueOrThrow({ where: { slug: courseSlug } });
    const enrollment = await db.enrollment.findUniqueOrThrow({
      where: { userId_courseId: { userId: studentId, courseId: course.id } },
    });
    await db.enrollment.delete({ where: { id: enrollment.id } });
    try {
      const { callback, verifier, state, nonce } = await signedInCodeFlow(studentId);
      const tokens = await oidcClient.authorizationCodeGrant(await discover(), callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
      });
      expect(tokens.claims()?.groups).toEqual([]);
    } finally {
      await db.enrollment.create({
        data: { userId: studentId, courseId: course.id, role: "STUDENT" },
      });
    }
  });

  it("access outlives enrolment: a hub refreshes roles with its refresh token, and revoking ends it", async () => {
    const { db } = database();
    const { callback, verifier, state, nonce } = await signedInCodeFlow(studentId);
    const config = await discover();
    const tokens = await oidcClient.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    // Hubs get a refresh token with their first tokens (no offline_access), not rotated.
    const refreshToken = tokens.refresh_token ?? "";
    expect(refreshToken).not.toBe("");
    const refreshed = await oidcClient.refreshTokenGrant(config, refreshToken);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token ?? refreshToken).toBe(refreshToken);
    expect(await oidcClient.fetchUserInfo(config, refreshed.access_token, studentId)).toMatchObject(
      { groups: [`${courseSlug}:student`] },
    );

    // Unenrolment revokes what the portal issued for the course's hubs, in its transaction.
    const revoked = await revokeHubSignIns(db, { userId: studentId, hubIds: [seeded.hub.id] });
    expect(revoked).toBeGreaterThanOrEqual(3);
    await expect(
      oidcClient.fetchUserInfo(config, refreshed.access_token, studentId),
    ).rejects.toMatchObject({ status: 401 });
    await expect(oidcClient.refreshTokenGrant(config, refreshToken)).rejects.toMatchObject({
      error: "invalid_grant",
    });
    // Someone else's sign-ins at the same hub are untouched.
    const instructorFlow = await signedInCodeFlow(instructorId);
    const instructorTokens = await oidcClient.authorizationCodeGrant(
      config,
      instructorFlow.callback,
      {
        pkceCodeVerifier: instructorFlow.verifier,
        expectedState: instructorFlow.state,
        expectedNonce: instructorFlow.nonce,
      },
    );
    await revokeHubSignIns(db, { userId: studentId, hubIds: [seeded.hub.id] });
    expect(
      await oidcClient.fetchUserInfo(config, instructorTokens.access_token, instructorId),
    ).toMatchObject({ groups: [`${courseSlug}:instructor`] });
  });

  it("access outlives enrolment: a refresh token renews nobody without a role at the hub", async () => {
    const { db } = database();
    const course = await db.course.findUniqueOrThrow({ where: { slug: courseSlug } });
    const { callback, verifier, state, nonce } = await signedInCodeFlow(instructorId);
    const config = await discover();
    const tokens = await oidcClient.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const enrollment = await db.enrollment.findUniqueOrThrow({
      where: { userId_courseId: { userId: instructorId, courseId: course.id } },
    });
    // Demoted: the refresh and userinfo say so at once (the hub drops admin).
    await db.enrollment.update({ where: { id: enrollment.id }, data: { role: "STUDENT" } });
    try {
      const demoted = await oidcClient.refreshTokenGrant(config, tokens.refresh_token ?? "");
      expect(
        await oidcClient.fetchUserInfo(config, demoted.access_token, instructorId),
      ).toMatchObject({ groups: [`${courseSlug}:student`] });
      // Removed by a path that left the tokens (the database edited by hand): still refused.
      await db.enrollment.delete({ where: { id: enrollment.id } });
      await expect(
        oidcClient.refreshTokenGrant(config, tokens.refresh_token ?? ""),
      ).rejects.toMatchObject({ error: "invalid_grant" });
    } finally {
      await db.enrollment.upsert({
        where: { userId_courseId: { userId: instructorId, courseId: course.id } },
        create: { userId: instructorId, courseId: course.id, role: "INSTRUCTOR" },
        update: { role: "INSTRUCTOR" },
      });
    }
  });

  it("sends a signed-out person to the portal's sign-in and back to the interaction", async () => {
    const browser = new CookieBrowser();
    const verifier = oidcClient.randomPKCECodeVerifier();
    const { hops, last } = await authorize(browser, {
      redirect_uri: callbackUrl,
      scope: "openid",
      code_challenge: await oidcClient.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state: oidcClient.randomState(),
    });
    const signIn = new URL(hops.at(-1) ?? "");
    expect(last.status).toBe(404); // the sign-in page is Next's, not the provider's
    expect(signIn.pathname).toBe("/signin");
    expect(signIn.searchParams.get("callbackUrl")).toMatch(/^\/oidc\/interaction\/[\w-]+$/);
  });

  it("explains an interaction that expired or was used, instead of failing", async () => {
    const browser = new CookieBrowser();
    await browser.signInToPortal(studentId, nextAuthSecret);
    const response = await browser.get(`${issuer}/interaction/no-such-interaction`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Open the hub again from the portal");
  });

  it("ends hub single sign-on when the portal session ends", async () => {
    const { browser } = await signedInCodeFlow(studentId);
    browser.signOutOfPortal();
    const verifier = oidcClient.randomPKCECodeVerifier();
    const { hops } = await authorize(browser, {
      redirect_uri: callbackUrl,
      scope: "openid",
      code_challenge: await oidcClient.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state: oidcClient.randomState(),
    });
    expect(new URL(hops.at(-1) ?? "").pathname).toBe("/signin");
  });

  it("refuses a redirect URI that is not exactly the registered one, without redirecting", async () => {
    for (const wrong of [
      "http://127.0.0.1:9/hub/oauth_callback/",
      "http://127.0.0.1:9/hub/oauth_callback?next=/x",
      "http://evil.example/hub/oauth_callback",
      "http://127.0.0.1:9/HUB/oauth_callback",
    ]) {
      const browser = new CookieBrowser();
      await browser.signInToPortal(studentId, nextAuthSecret);
      const verifier = oidcClient.randomPKCECodeVerifier();
      const { hops, last } = await authorize(browser, {
        redirect_uri: wrong,
        scope: "openid",
        code_challenge: await oidcClient.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state: "s",
      });
      expect(hops).toHaveLength(1);
      expect(last.status).toBe(400);
      expect(await last.text()).toContain("redirect_uri");
    }
  });

  it("refuses an authorization request without PKCE", async () => {
    const browser = new CookieBrowser();
    await browser.signInToPortal(studentId, nextAuthSecret);
    const { hops } = await authorize(browser, {
      redirect_uri: callbackUrl,
      scope: "openid",
      state: "no-pkce",
    });
    const callback = new URL(hops.at(-1) ?? "");
    expect(callback.searchParams.get("error")).toBe("invalid_request");
    expect(callback.searchParams.get("error_description")).toMatch(/PKCE/);
    expect(callback.searchParams.get("code")).toBeNull();
  });

  it("refuses a reused authorization code", async () => {
    const { callback, verifier, state, nonce } = await signedInCodeFlow(studentId);
    const config = await discover();
    const checks = { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce };
    await oidcClient.authorizationCodeGrant(config, callback, checks);
    await expect(oidcClient.authorizationCodeGrant(config, callback, checks)).rejects.toMatchObject(
      {
        error: "invalid_grant",
      },
    );
  });

  it("refuses a code redeemed with the wrong PKCE verifier", async () => {
    const { callback, state, nonce } = await signedInCodeFlow(studentId);
    await expect(
      oidcClient.authorizationCodeGrant(await discover(), callback, {
        pkceCodeVerifier: oidcClient.randomPKCECodeVerifier(),
        expectedState: state,
        expectedNonce: nonce,
      }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("lets the relying party detect a tampered state", async () => {
    const { callback, verifier, state, nonce } = await signedInCodeFlow(studentId);
    const tampered = new URL(callback);
    tampered.searchParams.set("state", `${state}x`);
    const error = await oidcClient
      .authorizationCodeGrant(await discover(), tampered, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "OAUTH_INVALID_RESPONSE" });
    expect(String((error as Error).cause)).toMatch(/state/);
  });

  it("refuses a wrong client secret at the token endpoint", async () => {
    const { callback, verifier, state } = await signedInCodeFlow(studentId);
    const config = await oidcClient.discovery(
      new URL(issuer),
      clientId,
      undefined,
      oidcClient.ClientSecretBasic("not-the-secret"),
      { execute: [oidcClient.allowInsecureRequests] },
    );
    await expect(
      oidcClient.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
      }),
    ).rejects.toMatchObject({
      status: 401,
      cause: [
        expect.objectContaining({
          parameters: expect.objectContaining({ error: "invalid_client" }) as unknown,
        }) as unknown,
      ],
    });
  });

  it("rotates the signing key and keeps the old one published for verification", async () => {
    const before = await signedInCodeFlow(studentId);
    const oldTokens = await oidcClient.authorizationCodeGrant(await discover(), before.callback, {
      pkceCodeVerifier: before.verifier,
      expectedState: before.state,
      expectedNonce: before.nonce,
    });
    const oldKid = decodeProtectedHeader(oldTokens.id_token ?? "").kid;

    const rotation = await rotateSigningKey(database().db, secretBox, { actorId: null });
    if (rotation.outcome !== "rotated") throw new Error(`no rotation: ${rotation.outcome}`);
    const newKid = rotation.kid;
    const after = await signedInCodeFlow(studentId);
    const newTokens = await oidcClient.authorizationCodeGrant(await discover(), after.callback, {
      pkceCodeVerifier: after.verifier,
      expectedState: after.state,
      expectedNonce: after.nonce,
    });
    expect(decodeProtectedHeader(newTokens.id_token ?? "").kid).toBe(newKid);
    expect(newKid).not.toBe(oldKid);
    const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
    await expect(jwtVerify(oldTokens.id_token ?? "", jwks, { issuer })).resolves.toBeTruthy();
    await expect(jwtVerify(newTokens.id_token ?? "", jwks, { issuer })).resolves.toBeTruthy();
  });

  it("knows no client for an archived hub", async () => {
    const { db } = database();
    const hub = await db.hub.findFirstOrThrow({ where: { course: { slug: courseSlug } } });
    await db.hub.update({ where: { id: hub.id }, data: { status: "ARCHIVED" } });
    try {
      const browser = new CookieBrowser();
      await browser.signInToPortal(studentId, nextAuthSecret);
      const { hops, last } = await authorize(browser, {
        redirect_uri: callbackUrl,
        scope: "openid",
        code_challenge: await oidcClient.calculatePKCECodeChallenge(
          oidcClient.randomPKCECodeVerifier(),
        ),
        code_challenge_method: "S256",
        state: "s",
      });
      expect(hops).toHaveLength(1);
      expect(last.status).toBe(400);
      expect(await last.text()).toContain("invalid_client");
    } finally {
      await db.hub.update({ where: { id: hub.id }, data: { status: hub.status } });
    }
  });
});

/** A token request as a hub sends it, without a client library in between. */
function redeemCode(code: string, verifier: string): Promise<Response> {
  return fetch(`${issuer}/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: callbackUrl,
      code_verifier: verifier,
    }),
  });
}

/** A GET with headers fetch will not send as given (Host). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

describe("the provider under attack", () => {
  it("suspended hub sign-in: a suspended or decommissioning hub gets no authorization and no tokens", async () => {
    const { db } = database();
    const hub = await db.hub.findFirstOrThrow({ where: { course: { slug: courseSlug } } });
    // A code issued while the hub served, redeemed after it stopped: no tokens either.
    const pending = await signedInCodeFlow(studentId);
    const code = pending.callback.searchParams.get("code") ?? "";
    try {
      for (const status of ["SUSPENDED", "DECOMMISSIONING"] as const) {
        await db.hub.update({ where: { id: hub.id }, data: { status } });
        const browser = new CookieBrowser();
        await browser.signInToPortal(studentId, nextAuthSecret);
        const verifier = oidcClient.randomPKCECodeVerifier();
        const { hops, last } = await authorize(browser, {
          redirect_uri: callbackUrl,
          scope: "openid groups",
          code_challenge: await oidcClient.calculatePKCECodeChallenge(verifier),
          code_challenge_method: "S256",
          state: "s",
        });
        expect(hops).toHaveLength(1);
        expect(last.status).toBe(400);
        const page = await last.text();
        expect(page).toContain("invalid_client");
        expect(page).toContain(
          status === "SUSPENDED"
            ? "This hub is suspended: it is stopped and nobody can sign in to it."
            : `not open for sign-in right now (it is ${status.toLowerCase()})`,
        );
        // It names whom to ask.
        expect(page).toContain("Contact your instructor (Ana Rivera)");

        const token = await redeemCode(code, pending.verifier);
        expect(token.status).toBeGreaterThanOrEqual(400);
        expect(((await token.json()) as { error: string }).error).toBe("invalid_client");
      }
    } finally {
      await db.hub.update({ where: { id: hub.id }, data: { status: hub.status } });
    }
  });

  it("authorization code replay race: of two concurrent token requests for one code, exactly one succeeds", async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { callback, verifier } = await signedInCodeFlow(studentId);
      const code = callback.searchParams.get("code") ?? "";
      const responses = await Promise.all([
        redeemCode(code, verifier),
        redeemCode(code, verifier),
        redeemCode(code, verifier),
      ]);
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, 400, 400]);
      const refusals = await Promise.all(
        responses
          .filter((response) => response.status === 400)
          .map(async (response) => ((await response.json()) as { error: string }).error),
      );
      expect(refusals).toEqual(["invalid_grant", "invalid_grant"]);
    }
  });

  it("cross-hub groups: a student placed on another hub of the course gets no group from this one", async () => {
    const { db } = database();
    const course = await db.course.findUniqueOrThrow({ where: { slug: courseSlug } });
    const hubA = await db.hub.findFirstOrThrow({ where: { slug: courseSlug } });
    const sectionB = await seeded.addHub(`${courseSlug}-b`);
    const groupsAtHubA = async (userId: string) => {
      const { callback, verifier, state, nonce } = await signedInCodeFlow(userId);
      const tokens = await oidcClient.authorizationCodeGrant(await discover(), callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
      });
      return tokens.claims()?.groups;
    };
    const place = (userId: string, hubId: string | null) =>
      db.enrollment.update({
        where: { userId_courseId: { userId, courseId: course.id } },
        data: { hubId },
      });
    try {
      await place(studentId, sectionB.id);
      expect(await groupsAtHubA(studentId)).toEqual([]);
      await place(studentId, hubA.id);
      expect(await groupsAtHubA(studentId)).toEqual([`${courseSlug}:student`]);
      // Staff teach every section of their course.
      await place(instructorId, sectionB.id);
      expect(await groupsAtHubA(instructorId)).toEqual([`${courseSlug}:instructor`]);
    } finally {
      await place(studentId, null);
      await place(instructorId, null);
    }
  });

  it("host header injection: forged forwarded headers never reach the discovery document, even with proxy trust on", async () => {
    const publicUrl = "https://portal.hubfed.example";
    const behindIngress = createIdentityRequestHandler(
      {
        db: database().db,
        secretBox,
        portalUrl: publicUrl,
        secretKey,
        readPortalSession: createPortalSessionReader({
          secret: nextAuthSecret,
          portalUrl: publicUrl,
        }),
        hubSignsPeopleIn: readyHubsSignPeopleIn,
      },
      { keyCheckIntervalMilliseconds: 0 },
    );
    expect((await behindIngress.provider()).proxy).toBe(true);
    const ingress = createServer((request, response) => {
      void behindIngress.handle(request, response);
    });
    await new Promise<void>((resolve) => ingress.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = ingress.address() as AddressInfo;
      const forged = await rawGet(
        `http://127.0.0.1:${port}/oidc/.well-known/openid-configuration`,
        {
          host: "evil.example",
          "x-forwarded-host": "evil.example",
          "x-forwarded-proto": "http",
          "x-forwarded-port": "8443",
          forwarded: "host=evil.example;proto=http",
        },
      );
      expect(forged.status).toBe(200);
      expect(forged.body).not.toContain("evil.example");
      const metadata = JSON.parse(forged.body) as Record<string, unknown>;
      const expectedIssuer = `${publicUrl}/oidc`;
      expect(metadata.issuer).toBe(expectedIssuer);
      for (const name of [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
      ])
        expect(String(metadata[name])).toMatch(new RegExp(`^${expectedIssuer}/`));
    } finally {
      await new Promise((resolve) => ingress.close(resolve));
    }
  });
});
