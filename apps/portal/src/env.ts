import { availableParallelism } from "node:os";
import { parsePreviousSecretKeys } from "@hubfed/identity/secret-box";
import {
  developmentSignInSetting,
  parseDevelopmentSignInAccounts,
  type DevelopmentSignInSetting,
} from "@hubfed/auth";
import { z } from "zod";

// The portal's environment, parsed once on first use (STYLE rule 4). Lazy, so
// `next build` does not need a database or secrets. Exported for the chart's tests, which check
// that the chart sets every variable.
export const portalEnvironmentSchema = z.object({
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url(),
  NEXTAUTH_URL: z.string().url(),
  NEXTAUTH_SECRET: z.string().min(32, "use at least 32 random characters"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /**
   * "enabled" asks for the development sign-in; it only comes on with HUBFED_DEMO=1 as well.
   * Any other value, or none, leaves it off (it fails closed: @hubfed/auth development-sign-in.ts).
   */
  HUBFED_DEV_SIGN_IN: z.string().optional(),
  /** "1" marks a demo federation (`npm start`, `npm test`); anything else is not one. */
  HUBFED_DEMO: z.string().optional(),
  /** Emails a test run may sign in as besides the seeded demo accounts (comma-separated). */
  HUBFED_DEV_SIGN_IN_ACCOUNTS: z.string().optional(),
  /** 32 bytes, base64: unseals institutions' sign-in client secrets (and the OIDC provider's keys). */
  HUBFED_SECRET_KEY: z.string().min(1, "set a 32-byte base64 key"),
  /**
   * Keys sealed with before the current HUBFED_SECRET_KEY, comma-separated: they still open
   * values during a rotation, until `reseal-secrets` has rewritten every row (ADR 0007).
   */
  HUBFED_PREVIOUS_SECRET_KEYS: z.string().default("").transform(parsePreviousSecretKeys),
  /** Optional social sign-in; each needs both its id and its secret. */
  HUBFED_GITHUB_CLIENT_ID: z.string().optional(),
  HUBFED_GITHUB_CLIENT_SECRET: z.string().optional(),
  HUBFED_GOOGLE_CLIENT_ID: z.string().optional(),
  HUBFED_GOOGLE_CLIENT_SECRET: z.string().optional(),
  /** GitHub's REST API, for checking content links at publish (the fake GitHub in tests and the demo). */
  HUBFED_GITHUB_API_URL: z.string().url().default("https://api.github.com"),
  /** Optional: a read-only token raises GitHub's rate limit (link checks still confirm public repositories only). */
  HUBFED_GITHUB_TOKEN: z.string().min(1).optional(),
  /**
   * How many proxies in front of the portal append to X-Forwarded-For (the ingress, a load
   * balancer). 0, the default, means the portal faces clients and the socket's address is the
   * client's: X-Forwarded-For is then never believed.
   */
  HUBFED_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** trace, debug, info (the default), warn, error or silent: what the JSON logs keep. */
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  /**
   * Bearer token a Prometheus scrape of /metrics must send. Unset, /metrics answers only direct
   * connections from this machine (docs/observability.md).
   */
  HUBFED_METRICS_TOKEN: z.string().min(16, "use at least 16 random characters").optional(),
  /**
   * How many processes serve the portal (server.ts, src/server/processes.ts). Unset: one per core
   * this process may run on, at most 4 (a machine that also runs course hubs keeps the rest).
   */
  HUBFED_PORTAL_PROCESSES: z.coerce.number().int().min(1).max(64).optional(),
  /** Where server.ts listens. */
  PORT: z.coerce.number().int().positive().default(3000),
  HOSTNAME: z.string().default("127.0.0.1"),
});

export type PortalEnvironment = z.infer<typeof portalEnvironmentSchema> & {
  /** On, and why (or why not): server.ts logs it at startup. */
  developmentSignIn: DevelopmentSignInSetting;
  isDevelopmentSignInEnabled: boolean;
  /** The test run's extra development sign-in accounts; the demo's own come from core's demoUsers. */
  developmentSignInAccounts: string[];
  /** HUBFED_PORTAL_PROCESSES, or its default worked out for this machine. */
  portalProcesses: number;
};

/** The default number of portal processes: one per core, at most 4. */
export const defaultPortalProcesses = () => Math.min(availableParallelism(), 4);

let parsed: PortalEnvironment | undefined;

export function portalEnvironment(): PortalEnvironment {
  if (parsed) return parsed;
  const result = portalEnvironmentSchema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`The portal's environment is invalid:\n${problems}`);
  }
  const developmentSignIn = developmentSignInSetting(result.data);
  parsed = {
    ...result.data,
    developmentSignIn,
    isDevelopmentSignInEnabled: developmentSignIn.enabled,
    developmentSignInAccounts: parseDevelopmentSignInAccounts(
      result.data.HUBFED_DEV_SIGN_IN_ACCOUNTS,
    ),
    portalProcesses: result.data.HUBFED_PORTAL_PROCESSES ?? defaultPortalProcesses(),
  };
  return parsed;
}
