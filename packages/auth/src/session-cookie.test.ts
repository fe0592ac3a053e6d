import { getServerSession } from "next-auth/next";
import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { createAuthOptions } from "./auth-options";

// next-auth's own routes (/api/auth/session, sign-out) read the session cookie with these options;
// the portal's pages read it with @hubfed/identity's session reader, tested against the same
// garbage in portal-session.test.ts. A cookie is whatever the browser sends.

const secret = "a-test-nextauth-secret-of-at-least-32-characters";
// The session callback needs no database; signing in (authorize, jwt with a user) is not run here.
const options = {
  ...createAuthOptions({ db: {} as never, secret }),
  // next-auth logs each cookie it cannot open; the test only wants the answer.
  logger: { error: () => undefined, warn: () => undefined, debug: () => undefined },
};

async function sessionFor(cookies: Record<string, string>) {
  const response = {
    getHeader: () => undefined,
    setCookie: () => undefined,
    setHeader: () => undefined,
  };
  return getServerSession(
    { headers: { host: "portal.test" }, cookies } as never,
    response as never,
    options,
  );
}

describe("malformed session cookies: next-auth reads a garbage session cookie as signed out", () => {
  it("gives no session, and no error, for cookies it cannot open", async () => {
    for (const value of [
      "garbage",
      "%",
      "",
      "a.b.c.d.e",
      "eyJhbGciOiJkaXIifQ..A.A.A",
      "x".repeat(8000),
    ])
      for (const name of ["next-auth.session-token", "next-auth.session-token.0"])
        await expect(
          sessionFor({ [name]: value }),
          `${name}=${value.slice(0, 20)}`,
        ).resolves.toBeNull();
  });

  it("still reads a real session cookie", async () => {
    const token = await encode({ token: { userId: "user-1", username: "ana" }, secret });
    const session = await sessionFor({ "next-auth.session-token": token });
    expect(session?.user).toMatchObject({ id: "user-1", username: "ana" });
  });
});
