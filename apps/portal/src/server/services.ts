import "server-only";
import { Redis } from "ioredis";
import { createAuthOptions } from "@hubfed/auth";
import { createDatabaseClient, type DatabaseClient } from "@hubfed/db";
import type { NextAuthOptions } from "next-auth";
import { portalEnvironment } from "~/env";

// Process-wide clients, created on first use and reused by every request
// (kept on globalThis so Next's dev-mode reloads do not leak connections).
interface PortalServices {
  db: DatabaseClient;
  redis: Redis;
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
  globalForServices.hubfedServices = { db, redis, authOptions };
  return globalForServices.hubfedServices;
}
