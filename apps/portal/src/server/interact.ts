import "server-only";
import { getToken } from "next-auth/jwt";
import { resolveInteractRequest, type InteractOutcome, type InteractRequest } from "@hubfed/core";
import { portalEnvironment } from "~/env";
import { services } from "./services";

/**
 * The interact hot path (/i/<code>, /interact): who is asking, what the
 * router decides, and that decision as an HTTP answer. It reads the
 * session JWT straight from the cookie (one decryption, remembered for a
 * minute per token) instead of building a full next-auth session, and the
 * router serves links, courses and enrollments from its few-second cache, so
 * a warm click costs no database query. The click is counted with one Redis
 * command nobody waits for.
 */

const tokenCache = new Map<string, { userId: string | null; until: number }>();
const tokenCacheMs = 60_000;
const tokenCacheSize = 50_000;

function sessionCookieOf(request: Request): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  // The whole session part of the header keys the cache: chunked cookies included.
  const parts = header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => /^(__Secure-)?next-auth\.session-token(\.\d+)?=/.test(part));
  return parts.length > 0 ? parts.sort().join(";") : undefined;
}

async function signedInUserId(request: Request): Promise<string | null> {
  const sessionCookie = sessionCookieOf(request);
  if (!sessionCookie) return null;
  const now = Date.now();
  const cached = tokenCache.get(sessionCookie);
  if (cached && cached.until > now) return cached.userId;
  const environment = portalEnvironment();
  const cookies = Object.fromEntries(
    sessionCookie.split(";").map((part) => {
      const separator = part.indexOf("=");
      return [part.slice(0, separator), decodeURIComponent(part.slice(separator + 1))];
    }),
  );
  const token = await getToken({
    req: { headers: Object.fromEntries(request.headers), cookies } as never,
    secret: environment.NEXTAUTH_SECRET,
    secureCookie: new URL(environment.NEXTAUTH_URL).protocol === "https:",
  });
  const userId = typeof token?.userId === "string" && token.userId ? token.userId : null;
  const expiresAt = typeof token?.exp === "number" ? token.exp * 1000 : now;
  if (tokenCache.size >= tokenCacheSize) tokenCache.clear();
  tokenCache.set(sessionCookie, { userId, until: Math.min(now + tokenCacheMs, expiresAt) });
  return userId;
}

const noStore = { "cache-control": "no-store", "referrer-policy": "no-referrer" };

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location, ...noStore } });
}

/** Where the status page of a request lives (a page, so it shares the portal's layout). */
export type StatusPagePath = string;

export async function answerInteractRequest(
  request: Request,
  describe: (userId: string | null) => InteractRequest,
  statusPagePath: StatusPagePath,
): Promise<Response> {
  const userId = await signedInUserId(request);
  const { db, clicks, interactCache } = services();
  const outcome: InteractOutcome = await resolveInteractRequest(db, describe(userId), {
    cache: interactCache,
  });
  switch (outcome.kind) {
    case "redirect":
      clicks.recordClick({ linkId: outcome.linkId, enrollmentId: outcome.enrollmentId });
      return new Response(null, {
        status: 302,
        headers: { location: outcome.location, ...noStore },
      });
    case "sign-in":
      return seeOther(`/signin?callbackUrl=${encodeURIComponent(outcome.next)}`);
    default:
      return seeOther(statusPagePath);
  }
}
