import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { createPortalSessionReader, sessionCookiesOf } from "./portal-session";

// The portal session read from real next-auth JWT cookies, as next-auth writes them.

const secret = "a-test-nextauth-secret-of-at-least-32-characters";
const sessionToken = (userId: string, tokenSecret = secret) =>
  encode({ token: { userId }, secret: tokenSecret });
const signedIn = (userId: string): unknown =>
  expect.objectContaining({ userId, username: "", name: null, email: null, isOperator: false });

describe("the portal session reader", () => {
  const read = createPortalSessionReader({ secret, portalUrl: "http://127.0.0.1:3000" });

  it("names the signed-in user from the session cookie among others", async () => {
    const cookie = `theme=dark; next-auth.session-token=${await sessionToken("user-1")}; lang=en`;
    expect(await read(cookie)).toEqual(signedIn("user-1"));
  });

  it("carries what the portal's jwt callback wrote: name, email, username, operator, expiry", async () => {
    const token = await encode({
      token: {
        userId: "user-3",
        username: "ana",
        name: "Ana Lima",
        email: "ana@college.edu",
        isOperator: true,
      },
      secret,
      maxAge: 3_600,
    });
    const session = await read(`next-auth.session-token=${token}`);
    expect(session).toMatchObject({
      userId: "user-3",
      username: "ana",
      name: "Ana Lima",
      email: "ana@college.edu",
      isOperator: true,
    });
    expect(session?.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(session?.expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });

  it("remembers a cookie's answer for a while, never past the token's expiry", async () => {
    const remembering = createPortalSessionReader({
      secret,
      portalUrl: "http://127.0.0.1:3000",
      rememberMilliseconds: 60_000,
    });
    const expired = await encode({ token: { userId: "user-4" }, secret, maxAge: -60 });
    expect(await remembering(`next-auth.session-token=${expired}`)).toBeUndefined();
  });

  it("knows nobody without a session cookie, or with one it cannot open", async () => {
    expect(await read(undefined)).toBeUndefined();
    expect(await read("theme=dark")).toBeUndefined();
    const forged = await sessionToken("user-1", "another-secret-of-at-least-32-characters!!");
    expect(await read(`next-auth.session-token=${forged}`)).toBeUndefined();
  });

  it("reads the __Secure- cookie when the portal is served over https", async () => {
    const secure = createPortalSessionReader({ secret, portalUrl: "https://portal.example.org" });
    const token = await sessionToken("user-2");
    expect(await secure(`__Secure-next-auth.session-token=${token}`)).toEqual(signedIn("user-2"));
    expect(await secure(`next-auth.session-token=${token}`)).toBeUndefined();
  });

  it("keys a session by its cookies alone, chunks included", () => {
    expect(
      sessionCookiesOf("b=2; next-auth.session-token.1=y; a=1; next-auth.session-token.0=x"),
    ).toBe("next-auth.session-token.0=x;next-auth.session-token.1=y");
    expect(sessionCookiesOf("theme=dark")).toBeUndefined();
  });

  it("malformed session cookies: a garbage session cookie reads as signed out, never an error", async () => {
    const header = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const garbage = [
      "garbage",
      "%",
      "%E0%A4%A",
      "",
      "a.b.c.d.e",
      `${header({ alg: "dir", enc: "A256GCM" })}..AAAA.AAAA.AAAA`,
      `${header({ alg: "dir", enc: "A256GCM", zip: "DEF" })}..AAAAAAAAAAAAAAAA.AAAA.AAAA`,
      `${header({ alg: "PBES2-HS256+A128KW", enc: "A128GCM", p2c: 1e9, p2s: "AAAA" })}.A.A.A.A`,
      `${header({ alg: "none" })}.e30.`,
      "x".repeat(8000),
    ];
    for (const value of garbage)
      for (const name of [
        "next-auth.session-token",
        "next-auth.session-token.0",
        "next-auth.session-token.99999999999999999999",
      ])
        await expect(read(`${name}=${value}`), `${name}=${value.slice(0, 40)}`).resolves.toBe(
          undefined,
        );
  });
});
