// No "server-only" here: apps/portal/server.ts runs this outside Next, under tsx.
import type { IncomingMessage, ServerResponse } from "node:http";
import { secureRequest } from "@hubfed/auth/http-security";
import {
  answerMetricsRequest,
  fastObserverOf,
  type Logger,
  type MetricsAccess,
  type MetricsSource,
  type PortalMetrics,
} from "@hubfed/observability";
import {
  loggablePathOf,
  observeHttpResponse,
  requestIdHeader,
  requestIdOf,
} from "./http-observability";

/** Answers a request and says so, or returns false to hand it on untouched. */
export type RequestAnswerer = (
  request: IncomingMessage,
  response: ServerResponse,
) => Promise<boolean>;

export interface PortalRequestHandlerOptions {
  portalUrl: string;
  trustedProxyHops: number;
  metrics: PortalMetrics;
  /**
   * What /metrics answers with: the whole cluster's figures when the portal runs as several
   * processes (clusterMetricsSource); this process's registry when left out.
   */
  metricsSource?: MetricsSource;
  metricsAccess: MetricsAccess;
  logger: Logger;
  /**
   * Asked in order before `fallback` (the interact fast path, then the OpenID Connect
   * provider); /metrics is answered right after the first, so the click path stays first.
   */
  answerers: [RequestAnswerer, ...RequestAnswerer[]];
  /** Everything nobody answered: Next. */
  fallback: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
}

/**
 * What the portal's server does with every request, whoever answers it: an id (on the response,
 * on the server's log lines about it, and in the headers Next's handlers read and log), the
 * response timed into the HTTP histogram, the security headers and the client's address
 * (packages/auth/src/http-security.ts); then the answerers in order, then Next.
 *
 * No log context (AsyncLocalStorage) here: on Node 20 running one turns on promise hooks for
 * the whole process, which cost the interact path a quarter of its throughput
 * (docs/benchmarks.md). The id is passed by hand instead.
 */
export function createPortalRequestHandler(options: PortalRequestHandlerOptions) {
  const { metrics, logger } = options;
  const [first, ...rest] = options.answerers;
  const answerMetrics: RequestAnswerer = (request, response) =>
    answerMetricsRequest(
      request,
      response,
      options.metricsSource ?? metrics.registry,
      options.metricsAccess,
    );
  const answerers = [answerMetrics, ...rest];
  const observation = { observe: fastObserverOf(metrics.httpRequestDuration), logger };

  async function answer(request: IncomingMessage, response: ServerResponse, requestId: string) {
    try {
      if (await first(request, response)) return;
      for (const next of answerers) if (await next(request, response)) return;
      await options.fallback(request, response);
    } catch (error) {
      logger.error(
        { requestId, method: request.method, path: loggablePathOf(request.url), error },
        "request failed",
      );
      if (!response.headersSent) {
        response.statusCode = 500;
        response.end("Internal server error");
      }
    }
  }

  return (request: IncomingMessage, response: ServerResponse): void => {
    const requestId = requestIdOf(request, options.trustedProxyHops);
    request.headers[requestIdHeader] = requestId;
    response.setHeader(requestIdHeader, requestId);
    observeHttpResponse(request, response, requestId, observation);
    secureRequest(request, response, {
      portalUrl: options.portalUrl,
      trustedProxyHops: options.trustedProxyHops,
    });
    void answer(request, response, requestId);
  };
}
