import { z } from "zod";

// The portal's environment, parsed once on first use (STYLE rule 4). Lazy, so
// `next build` does not need a database or secrets.
const environmentSchema = z
  .object({
    DATABASE_URL: z.string().url(),
    REDIS_URL: z.string().url(),
    NEXTAUTH_URL: z.string().url(),
    NEXTAUTH_SECRET: z.string().min(32, "use at least 32 random characters"),
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** "enabled" turns on the development sign-in (demo and tests only). */
    HUBFED_DEV_SIGN_IN: z.enum(["enabled", "disabled"]).default("disabled"),
    /** Marks a production build that is knowingly a demo, the only production case the development sign-in may run in. */
    HUBFED_DEMO: z.enum(["0", "1"]).default("0"),
    /** 32 bytes, base64: unseals institutions' sign-in client secrets (and the OIDC provider's keys). */
    HUBFED_SECRET_KEY: z.string().min(1, "set a 32-byte base64 key"),
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
    /** Where server.ts listens. */
    PORT: z.coerce.number().int().positive().default(3000),
    HOSTNAME: z.string().default("127.0.0.1"),
  })
  .refine(
    (environment) =>
      environment.HUBFED_DEV_SIGN_IN !== "enabled" ||
      environment.NODE_ENV !== "production" ||
      environment.HUBFED_DEMO === "1",
    {
      message:
        "HUBFED_DEV_SIGN_IN=enabled is refused in production unless HUBFED_DEMO=1 marks a demo deployment",
      path: ["HUBFED_DEV_SIGN_IN"],
    },
  );

export type PortalEnvironment = z.infer<typeof environmentSchema> & {
  isDevelopmentSignInEnabled: boolean;
};

let parsed: PortalEnvironment | undefined;

export function portalEnvironment(): PortalEnvironment {
  if (parsed) return parsed;
  const result = environmentSchema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`The portal's environment is invalid:\n${problems}`);
  }
  parsed = {
    ...result.data,
    isDevelopmentSignInEnabled: result.data.HUBFED_DEV_SIGN_IN === "enabled",
  };
  return parsed;
}
