import { getToken } from "next-auth/jwt";

/**
 * The one reader of the portal's next-auth session (a JWT cookie). The OIDC provider, the click
 * path beside Next (apps/portal/server.ts), the interact route and every page (the portal's
 * currentSession) learn who is signed in here. The portal session is the only sign-in there is:
 * the provider never keeps a login of its own. Pages used next-auth's getServerSession, which
 * derives the key (HKDF) and decrypts the cookie on every request; this reader does it once per
 * cookie and remembers the answer (docs/benchmarks.md, "My hubs").
 */

/**
 * Who is signed in to the portal, as next-auth's session cookie says: the claims the portal's jwt
 * callback wrote at sign-in (packages/auth/src/auth-options.ts).
 */
export interface PortalSession {
  userId: string;
  username: string;
  name: string | null;
  email: string | null;
  isOperator: boolean;
  /** When the cookie's token expires (ms since the epoch), as next-auth's `expires` says it. */
  expiresAt: number;
}

/** Reads the session from a request's Cookie header; undefined when nobody is signed in. */
export type PortalSessionReader = (
  cookieHeader: string | null | undefined,
) => Promise<PortalSession | undefined>;

// next-auth's session cookie, chunked (".0", ".1", …) when the JWT is long; "__Secure-" over https.
const sessionCookiePattern = /^(__Secure-)?next-auth\.session-token(\.\d+)?=/;

/**
 * The session cookies of a Cookie header, sorted and joined: every other cookie left out, so it
 * names one session whatever else the browser sends. Undefined when there is no session cookie.
 */
export function sessionCookiesOf(cookieHeader: string | null | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  const parts = cookieHeader
    .split(";")
    .map((part) => part.trim())
    .filter((part) => sessionCookiePattern.test(part));
  return parts.length > 0 ? parts.sort().join(";") : undefined;
}

function parseCookies(sessionCookies: string): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of sessionCookies.split(";")) {
    const separator = part.indexOf("=");
    const name = part.slice(0, separator);
    const value = part.slice(separator + 1);
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}

/** The session a token's claims name; undefined without a user id (no portal user behind it). */
function sessionOf(claims: Record<string, unknown>, expiresAt: number): PortalSession | undefined {
  const { userId, username, name, email, isOperator } = claims;
  if (typeof userId !== "string" || !userId) return undefined;
  return {
    userId,
    username: typeof username === "string" ? username : "",
    name: typeof name === "string" ? name : null,
    email: typeof email === "string" ? email : null,
    isOperator: isOperator === true,
    expiresAt,
  };
}

export interface PortalSessionReaderSettings {
  /** NEXTAUTH_SECRET: the key the session JWT is encrypted with. */
  secret: string;
  /** The portal's public URL: over https next-auth names its cookie "__Secure-…". */
  portalUrl: string;
  /**
   * How long an answer is remembered per session cookie, so a busy click path decrypts each
   * JWT once rather than on every request. Never past the token's own expiry.
   */
  rememberMilliseconds?: number;
  /** At most this many cookies are remembered; beyond it the memory starts over. */
  rememberAtMost?: number;
}

export function createPortalSessionReader({
  secret,
  portalUrl,
  rememberMilliseconds = 30_000,
  rememberAtMost = 50_000,
}: PortalSessionReaderSettings): PortalSessionReader {
  const secureCookie = new URL(portalUrl).protocol === "https:";
  const remembered = new Map<string, { session: PortalSession | undefined; until: number }>();

  return async (cookieHeader) => {
    const sessionCookies = sessionCookiesOf(cookieHeader);
    if (!sessionCookies) return undefined;
    const now = Date.now();
    const known = remembered.get(sessionCookies);
    if (known && known.until > now) return known.session;
    // Only the cookies are passed: the portal session is the cookie, never an Authorization header.
    const token = await getToken({
      req: { headers: {}, cookies: parseCookies(sessionCookies) } as never,
      secret,
      secureCookie,
    });
    const expiresAt = typeof token?.exp === "number" ? token.exp * 1000 : Infinity;
    const session = token ? sessionOf(token, expiresAt) : undefined;
    if (remembered.size >= rememberAtMost) remembered.clear();
    remembered.set(sessionCookies, {
      session,
      until: Math.min(now + rememberMilliseconds, expiresAt),
    });
    return session;
  };
}
