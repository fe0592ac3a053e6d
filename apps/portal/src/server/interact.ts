import "server-only";
import { resolveInteractRequest, type InteractOutcome, type InteractRequest } from "@hubfed/core";
import { services } from "./services";

/**
 * The interact hot path (/i/<code>, /interact): who is asking, what the
 * router decides, and that decision as an HTTP answer. It reads the
 * session JWT straight from the cookie with identity's portal session reader
 * (one decryption, remembered per cookie) instead of building a full
 * next-auth session, and the router serves links, courses and enrollments
 * from its few-second cache, so a warm click costs no database query. The
 * click is counted with one Redis command nobody waits for.
 */

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
  const { db, clicks, interactCache, readPortalSession } = services();
  const userId = (await readPortalSession(request.headers.get("cookie")))?.userId ?? null;
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
