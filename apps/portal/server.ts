// The portal's HTTP server: Next.js for pages and APIs, with two things answered before Next:
// the portal's OpenID Connect provider at /oidc (packages/identity, ADR 0007; oidc-provider is a
// Node HTTP application) and the content-link click path /i/<code> for a signed-in student whose
// hub is ready (src/server/interact-fast-path.ts over core's decision; it must stay fast, see
// docs/benchmarks.md). It also answers /metrics (Prometheus, guarded: docs/observability.md), gives
// every request an id that its log lines carry, and times every response. It runs as one worker
// process per core (src/server/processes.ts; HUBFED_PORTAL_PROCESSES).
import cluster from "node:cluster";
import { createServer } from "node:http";
import { Redis } from "ioredis";
import next from "next";
import { createClickRecorder, shareProcessInteractCacheDrops } from "@hubfed/core";
import { isHubSigningIn } from "@hubfed/core/hub-lifecycle";
import { createDatabaseClient } from "@hubfed/db";
import {
  createIdentityRequestHandler,
  createPortalSessionReader,
  createSecretBox,
} from "@hubfed/identity";
import { clusterMetricsSource, createPortalMetrics } from "@hubfed/observability";
import { portalEnvironment } from "./src/env";
import { portalDependencyTimeouts } from "./src/server/dependency-timeouts";
import { createInteractFastPath } from "./src/server/interact-fast-path";
import { portalLogger } from "./src/server/log";
import { runPortalProcesses } from "./src/server/processes";
import { createPortalRequestHandler } from "./src/server/request-handler";

// The same parsed environment the pages use (src/env.ts): one schema, one place that reads it.
const environment = portalEnvironment();
const log = portalLogger();

// Said once at startup whenever it was asked for, so a deployment never runs it unknowingly.
if (cluster.isPrimary) {
  if (environment.developmentSignIn.enabled)
    log.warn(
      { accounts: ["the seeded demo accounts", ...environment.developmentSignInAccounts] },
      `development sign-in on: ${environment.developmentSignIn.reason}`,
    );
  else if (environment.HUBFED_DEV_SIGN_IN)
    log.warn(`development sign-in off: ${environment.developmentSignIn.reason}`);
}

await runPortalProcesses({
  processes: environment.portalProcesses,
  serve: servePortal,
  log,
});

/** The portal's server in this process: one of the workers, or the only process. */
async function servePortal(): Promise<void> {
  const metrics = createPortalMetrics();
  const portalUrl = environment.NEXTAUTH_URL;
  const db = createDatabaseClient({
    databaseUrl: environment.DATABASE_URL,
    maxConnections: 5,
    ...portalDependencyTimeouts.database,
  });
  // The portal's next-auth session, read from the cookie: who the provider and the click path serve.
  const readPortalSession = createPortalSessionReader({
    secret: environment.NEXTAUTH_SECRET,
    portalUrl,
  });
  const identity = createIdentityRequestHandler({
    db,
    secretBox: createSecretBox(
      environment.HUBFED_SECRET_KEY,
      environment.HUBFED_PREVIOUS_SECRET_KEYS,
    ),
    portalUrl,
    secretKey: environment.HUBFED_SECRET_KEY,
    readPortalSession,
    hubSignsPeopleIn: isHubSigningIn,
  });

  // The interact click path (/i/<code> for a signed-in student whose hub is ready) is answered
  // before Next; every other case goes on to Next's route handler.
  const clickRedis = new Redis(environment.REDIS_URL, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: portalDependencyTimeouts.redisCommandMs,
  });
  clickRedis.on("error", () => undefined); // a lost click count never fails a click
  const clicks = createClickRecorder(clickRedis);
  // A link archived or an allow-list edited in one portal process is dropped from every
  // process's interact cache at once (core's interact-cache.ts).
  const cacheDropsRedis = new Redis(environment.REDIS_URL, { maxRetriesPerRequest: 1 });
  cacheDropsRedis.on("error", () => undefined); // lost drops end with the entries' few seconds
  void shareProcessInteractCacheDrops({ publisher: clickRedis, subscriber: cacheDropsRedis }).catch(
    (error: unknown) => log.warn({ error }, "interact cache drops are not shared"),
  );
  const interact = createInteractFastPath({
    db,
    clicks,
    readPortalSession,
  });

  const app = next({
    dev: false,
    dir: import.meta.dirname,
    hostname: environment.HOSTNAME,
    port: environment.PORT,
  });
  const handleWithNext = app.getRequestHandler();
  await app.prepare();
  // Creates the first signing key now rather than on the first sign-in.
  await identity.provider();

  const server = createServer(
    createPortalRequestHandler({
      portalUrl,
      trustedProxyHops: environment.HUBFED_TRUSTED_PROXY_HOPS,
      metrics,
      metricsSource: clusterMetricsSource(metrics.registry),
      metricsAccess: { bearerToken: environment.HUBFED_METRICS_TOKEN },
      logger: log,
      answerers: [
        (request, response) => interact.handle(request, response),
        (request, response) => identity.handle(request, response),
      ],
      fallback: handleWithNext,
    }),
  );
  server.listen(environment.PORT, environment.HOSTNAME, () => {
    log.info(`listening on http://${environment.HOSTNAME}:${environment.PORT}`);
  });

  function shutDown() {
    server.close(() => {
      void Promise.allSettled([clicks.flush(), db.$disconnect()]).finally(() => process.exit(0));
    });
    // Keep-alive connections would hold close() open; give them a moment, then go.
    setTimeout(() => process.exit(0), 5_000).unref();
  }
  process.on("SIGTERM", shutDown);
  process.on("SIGINT", shutDown);
}
