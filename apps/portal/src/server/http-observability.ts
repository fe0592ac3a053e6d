// No "server-only" here: apps/portal/server.ts runs this outside Next, under tsx.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HttpLabel, Logger } from "@hubfed/observability";

/** The header that carries a request's id in and out (and on to Next's handlers). */
export const requestIdHeader = "x-request-id";

const acceptableRequestId = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The id every log line of this request carries and the response returns. An id set by our own
 * ingress (only believed when the portal sits behind trusted proxies) keeps one id across hops;
 * otherwise a fresh one, so a client cannot pick the id its requests are logged under.
 */
export function requestIdOf(request: IncomingMessage, trustedProxyHops: number): string {
  const given = request.headers[requestIdHeader];
  if (trustedProxyHops > 0 && typeof given === "string" && acceptableRequestId.test(given))
    return given;
  return randomUUID();
}

// Route families, never raw paths: a label per link code or course would grow without end.
const exactRoutes = new Set(["/", "/metrics", "/interact", "/interact/status", "/api/health"]);
const pageSections = new Set([
  "courses",
  "invitations",
  "join",
  "notifications",
  "ops",
  "request",
  "requests",
  "signin",
]);
const apiSections = new Set(["auth", "courses", "credits", "hubs", "trpc"]);

/** The route family a path belongs to: the label of the HTTP histogram and of request logs. */
export function httpRouteOf(path: string): string {
  if (exactRoutes.has(path)) return path;
  const segments = path.split("/");
  const [, first, second, third] = segments;
  if (first === "i" && second) {
    if (segments.length === 3) return "/i/:code";
    if (third === "status" && segments.length === 4) return "/i/:code/status";
    return "other";
  }
  if (first === "oidc") return "/oidc";
  if (first === "_next") return "/_next";
  if (first === "api") return second && apiSections.has(second) ? `/api/${second}` : "/api/other";
  if (first && pageSections.has(first)) return `/${first}`;
  return "other";
}

// Paths whose next segment is a credential: an invitation token, a join code.
const secretSegmentAfter = new Set(["invitations", "join"]);

/** The path as logs may show it: no query string, and no token that grants access. */
export function loggablePathOf(url: string | undefined): string {
  const segments = (url ?? "").split("?")[0]!.split("/");
  for (let index = 1; index < segments.length - 1; index += 1)
    if (secretSegmentAfter.has(segments[index]!)) segments[index + 1] = ":token";
  return segments.join("/");
}

export interface HttpObservation {
  /** The HTTP histogram's observe (fastObserverOf: a child per label set, kept). */
  observe: (labels: Record<HttpLabel, string>, seconds: number) => void;
  logger: Logger;
}

/**
 * Times the request until its response's last byte and records it once the response is sent:
 * one histogram observation, and a log line for the requests worth one (failures, client
 * errors; successes only at debug). Nothing here runs before the response is written, so the
 * interact redirect pays for two clock reads and a listener.
 */
export function observeHttpResponse(
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
  { observe, logger }: HttpObservation,
): void {
  const startedAt = performance.now();
  response.once("finish", () => {
    const seconds = (performance.now() - startedAt) / 1000;
    const path = (request.url ?? "").split("?")[0]!;
    const route = httpRouteOf(path);
    const method = request.method ?? "GET";
    const status = response.statusCode;
    observe({ route, method, status: String(status) }, seconds);
    const level = status >= 500 ? "warn" : status >= 400 ? "info" : "debug";
    if (logger.isLevelEnabled(level))
      logger[level](
        {
          // Named on every line: the portal keeps no log context per request.
          requestId,
          method,
          route,
          path: loggablePathOf(request.url),
          status,
          durationMs: Math.round(seconds * 10_000) / 10,
        },
        "request answered",
      );
  });
}
