import "server-only";
import { Redis } from "ioredis";
import { createAuthOptions } from "@hubfed/auth";
import {
  createClickRecorder,
  createHealthMonitor,
  createHubUserIdentifier,
  createLinkVerifier,
  createRepositoryMaterialReader,
  demoUsers,
  interactCache,
  loadSignInProviderConfigs,
  resolveExternalSignIn,
  type ClickRecorder,
  type HealthMonitor,
  type HubUserIdentifier,
  type InteractCache,
  type LinkVerifier,
  type RepositoryMaterialReader,
  type SignInProviderConfig,
} from "@hubfed/core";
import { createDatabaseClient, type DatabaseClient } from "@hubfed/db";
import {
  createPortalSessionReader,
  type PortalSessionReader,
} from "@hubfed/identity/portal-session";
import { createSecretBox, type SecretBox } from "@hubfed/identity/secret-box";
import {
  createBullMqJobQueues,
  redisConnectionFromUrl,
  type JobInspector,
  type JobQueues,
} from "@hubfed/jobs";
import type { NextAuthOptions } from "next-auth";
import { portalEnvironment } from "~/env";
import { portalDependencyTimeouts } from "./dependency-timeouts";

// Process-wide clients, created on first use and reused by every request
// (kept on globalThis so Next's dev-mode reloads do not leak connections).
interface PortalServices {
  db: DatabaseClient;
  redis: Redis;
  queues: JobQueues;
  jobInspector: JobInspector;
  /** /api/health's checks, answered within about a second whatever the dependencies do. */
  health: HealthMonitor;
  /** Content links: the GitHub check at publish, the click counter and the router's cache. */
  verifyLink: LinkVerifier;
  /** Assignments: their folder read from GitHub at save, and hub tokens vouched for by the hub. */
  readRepositoryMaterial: RepositoryMaterialReader;
  identifyHubUser: HubUserIdentifier;
  clicks: ClickRecorder;
  interactCache: InteractCache;
  /** Who is signed in, straight from the session cookie (the interact hot path). */
  readPortalSession: PortalSessionReader;
  secretBox: SecretBox;
  /** next-auth's options with the sign-in providers configured right now (institutions live in the database). */
  authOptions(): Promise<NextAuthOptions>;
  /** The providers people may sign in with right now (with unsealed secrets: server only). */
  signInProviders(): Promise<SignInProviderConfig[]>;
}

/** Institutions' sign-in settings change rarely; re-read them at most this often. */
const providerCacheMilliseconds = 30_000;

const globalForServices = globalThis as typeof globalThis & { hubfedServices?: PortalServices };

export function services(): PortalServices {
  if (globalForServices.hubfedServices) return globalForServices.hubfedServices;
  const environment = portalEnvironment();
  const db = createDatabaseClient({
    databaseUrl: environment.DATABASE_URL,
    maxConnections: 10,
    ...portalDependencyTimeouts.database,
  });
  const redis = new Redis(environment.REDIS_URL, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
    commandTimeout: portalDependencyTimeouts.redisCommandMs,
  });
  redis.on("error", () => undefined); // reported by /api/health instead of crashing the process
  const secretBox = createSecretBox(
    environment.HUBFED_SECRET_KEY,
    environment.HUBFED_PREVIOUS_SECRET_KEYS,
  );
  let cached:
    { at: number; providers: SignInProviderConfig[]; options: NextAuthOptions } | undefined;
  async function current() {
    if (cached && Date.now() - cached.at < providerCacheMilliseconds) return cached;
    const providers = await loadSignInProviderConfigs(db, secretBox, {
      githubClientId: environment.HUBFED_GITHUB_CLIENT_ID,
      githubClientSecret: environment.HUBFED_GITHUB_CLIENT_SECRET,
      googleClientId: environment.HUBFED_GOOGLE_CLIENT_ID,
      googleClientSecret: environment.HUBFED_GOOGLE_CLIENT_SECRET,
    });
    const options = createAuthOptions({
      db,
      secret: environment.NEXTAUTH_SECRET,
      // Only the seeded demo accounts (and a test run's listed ones), never any other user.
      developmentSignIn: environment.isDevelopmentSignInEnabled
        ? {
            accounts: [
              ...demoUsers.map((user) => user.email),
              ...environment.developmentSignInAccounts,
            ],
          }
        : undefined,
      external: {
        providers,
        resolveSignIn(providerId, profile) {
          const provider = providers.find((candidate) => candidate.id === providerId);
          return resolveExternalSignIn(db, {
            provider: providerId,
            providerAccountId: profile.id,
            email: profile.email,
            emailVerified: profile.emailVerified,
            name: profile.name,
            institution:
              provider?.kind === "institution"
                ? { id: provider.institutionId, emailDomains: provider.emailDomains }
                : undefined,
          });
        },
      },
    });
    cached = { at: Date.now(), providers, options };
    return cached;
  }
  const queues = createBullMqJobQueues(redisConnectionFromUrl(environment.REDIS_URL), {
    answerWithinMs: portalDependencyTimeouts.queueAddMs,
  });
  globalForServices.hubfedServices = {
    db,
    redis,
    queues,
    jobInspector: queues,
    health: createHealthMonitor({ db, redis }),
    verifyLink: createLinkVerifier({
      githubApiUrl: environment.HUBFED_GITHUB_API_URL,
      githubToken: environment.HUBFED_GITHUB_TOKEN,
    }),
    readRepositoryMaterial: createRepositoryMaterialReader({
      githubApiUrl: environment.HUBFED_GITHUB_API_URL,
      githubToken: environment.HUBFED_GITHUB_TOKEN,
    }),
    identifyHubUser: createHubUserIdentifier(),
    clicks: createClickRecorder(redis),
    interactCache: interactCache(),
    readPortalSession: createPortalSessionReader({
      secret: environment.NEXTAUTH_SECRET,
      portalUrl: environment.NEXTAUTH_URL,
      rememberMilliseconds: 60_000,
    }),
    secretBox,
    authOptions: async () => (await current()).options,
    signInProviders: async () => (await current()).providers,
  };
  return globalForServices.hubfedServices;
}
