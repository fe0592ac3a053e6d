import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { MetricsSource } from "./cluster-metrics";

export interface MetricsAccess {
  /**
   * When set, a scrape must send `Authorization: Bearer <token>`. When unset, only a scraper on
   * the same machine talking to the process directly (a loopback address, no proxy's forwarding
   * header) is answered: metrics name queues, routes and counts nobody outside should read.
   */
  bearerToken?: string;
}

const loopbackAddresses = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** Whether this request may read the metrics (see MetricsAccess). */
export function isMetricsScrapeAllowed(request: IncomingMessage, access: MetricsAccess): boolean {
  if (access.bearerToken) {
    const header = request.headers.authorization ?? "";
    const match = /^Bearer (.+)$/.exec(header);
    if (!match?.[1]) return false;
    const given = Buffer.from(match[1]);
    const wanted = Buffer.from(access.bearerToken);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }
  const isDirect =
    request.headers["x-forwarded-for"] === undefined && request.headers.forwarded === undefined;
  return isDirect && loopbackAddresses.has(request.socket.remoteAddress ?? "");
}

/**
 * Answers GET /metrics with the registry (or the cluster's metrics) in Prometheus' text format; a scrape that may not read
 * them gets 404, as if there were nothing here. Returns whether the request was /metrics.
 */
export async function answerMetricsRequest(
  request: IncomingMessage,
  response: ServerResponse,
  registry: MetricsSource,
  access: MetricsAccess,
): Promise<boolean> {
  if (request.url?.split("?")[0] !== "/metrics") return false;
  if (request.method !== "GET" || !isMetricsScrapeAllowed(request, access)) {
    response.statusCode = 404;
    response.setHeader("cache-control", "no-store");
    response.end("Not found");
    return true;
  }
  const body = await registry.metrics();
  response.statusCode = 200;
  response.setHeader("content-type", registry.contentType);
  response.setHeader("cache-control", "no-store");
  response.end(body);
  return true;
}
