import "server-only";
import { Redis } from "ioredis";
import { createAuthOptions } from "@hubfed/auth";
import { createDatabaseClient, type DatabaseClient } from "@hubfed/db";
import { createQueues, redisConnectionFromUrl, type Queues } from "@hubfed/jobs";
import type { NextAuthOptions } from "next-auth";
import { portalEnvironment } from "~/env";

// Process-wide clients, created on first use and reused by every request
// (kept on globalThis so Next's dev-mode reloads do not leak connections).
interface PortalServices {
  db: DatabaseClient;
  redis: Redis;
  queues: Queues;
  authOptions: NextAuthOptions;
}

const globalForServices = globalThis as typeof globalThis & { hubfedServices?: PortalServices };

export function services(): PortalServices {
  if (globalForServices.hubfedServices) return globalForServices.hubfedServices;
  const environment = portalEnvironment();
  const db = createDatabaseClient({ databaseUrl: environment.DATABASE_URL, maxConnections: 10 });
  const redis = new Redis(environment.REDIS_URL, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
  });
  redis.on("error", () => undefined); // reported by /api/health instead of crashing the process
  const authOptions = createAuthOptions({
    db,
    secret: environment.NEXTAUTH_SECRET,
    isDevelopmentSignInEnabled: environment.isDevelopmentSignInEnabled,
  });
  const queues = createQueues(redisConnectionFromUrl(environment.REDIS_URL));
  globalForServices.hubfedServices = { db, redis, queues, authOptions };
  return globalForServices.hubfedServices;
}
