import { encode } from "next-auth/jwt";

/**
 * A portal session cookie as next-auth writes it (a JWT for `userId`), for tests that walk a sign-in
 * over HTTP without the portal's pages: the provider reads it through the one session reader.
 */
export async function portalSessionCookie(
  userId: string,
  secret: string,
): Promise<{ name: string; value: string }> {
  return { name: "next-auth.session-token", value: await encode({ token: { userId }, secret }) };
}
