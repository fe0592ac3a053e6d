import path from "node:path";
import { z } from "zod";

const portSchema = z.number().int().min(1).max(65_535);

/**
 * The data directory ends up in a SQLAlchemy URL and in shell-free argv lists; it is chosen by the
 * worker, so a conservative character set costs nothing and keeps URL parsing out of the picture.
 */
const dataDirectorySchema = z
  .string()
  .regex(/^\/[A-Za-z0-9._/-]*$/, "must be an absolute path of letters, digits, '.', '_', '-', '/'")
  .refine((value) => !value.split("/").includes(".."), "must not contain '..'")
  .transform((value) => path.normalize(value).replace(/\/+$/, "") || "/");

/** An IPv4 address or a host name the proxy binds its public port to. */
const hostSchema = z
  .string()
  .regex(/^[A-Za-z0-9.-]{1,253}$/, "must be an IPv4 address or a host name");

export const localHubSpecSchema = z.object({
  memoryLimitMib: z.number().int().positive(),
  memoryGuaranteeMib: z.number().int().nonnegative(),
  cpuLimitMilli: z.number().int().positive(),
  storageGib: z.number().int().positive(),
  /** 0 disables the idle rule. */
  cullTimeoutSeconds: z.number().int().nonnegative(),
  /** 0 disables the age rule. */
  cullMaxAgeSeconds: z.number().int().nonnegative(),
  startTimeoutSeconds: z.number().int().positive(),
  interface: z.enum(["lab", "classic", "rstudio"]),
  /** Container image of the Kubernetes runtime; a local hub runs what the machine has. */
  image: z.string().optional(),
});

const httpUrlSchema = z.url({ protocol: /^https?$/ });

/**
 * How users sign in.
 * - "portal-oidc": the portal's OpenID Connect provider (SPEC §5) through the authenticator shipped
 *   in python/hubfed_authenticator.py; the redirect URI is the hub's public URL +
 *   /hub/oauth_callback (localHubCallbackUrl), exactly as registered with the portal.
 * - "dummy": any user name with a shared password, for tests that exercise the hub on its own.
 */
export const localHubAuthenticationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("dummy"), password: z.string().min(8) }),
  z.object({
    kind: z.literal("portal-oidc"),
    /** `${PORTAL_URL}/oidc`; discovery is fetched from it at the first sign-in. */
    issuerUrl: httpUrlSchema,
    clientId: z.string().min(1).max(200),
    clientSecret: z.string().min(16).max(512),
    /** Users whose groups hold `<courseSlug>:student|ta|instructor` get in. */
    courseSlug: z.string().min(1).max(200),
    /** The course as people know it, for the page that refuses someone not enrolled. */
    courseName: z.string().min(1).max(300),
    /** Where a refused user goes back to and where logout lands. */
    portalUrl: httpUrlSchema,
  }),
]);

export const localHubSchema = z.object({
  /** Any text: it is only ever written into the configuration as an escaped literal. */
  hubSlug: z.string().min(1).max(200),
  dataDirectory: dataDirectorySchema,
  ports: z.object({ proxyPublic: portSchema, proxyApi: portSchema, hub: portSchema }),
  /** Where the proxy's public port listens; the API and hub ports always stay on 127.0.0.1. */
  publicHost: hostSchema.default("127.0.0.1"),
  spec: localHubSpecSchema,
  admins: z.array(z.string().min(1).max(200)).default([]),
  serviceTokens: z.object({ portal: z.string().min(16).max(512) }),
  authentication: localHubAuthenticationSchema,
  /** How often the idle culler looks; by default a third of the shortest cull rule, 5–60 s. */
  cullIntervalSeconds: z.number().int().positive().optional(),
});

export type LocalHubInput = z.input<typeof localHubSchema>;
export type LocalHub = z.output<typeof localHubSchema>;
export type LocalHubSpec = z.output<typeof localHubSpecSchema>;
export type LocalHubPorts = LocalHub["ports"];

export function parseLocalHub(input: LocalHubInput): LocalHub {
  return localHubSchema.parse(input);
}

/** Everything a local hub keeps, all under its data directory. */
export function localHubPaths(dataDirectory: string) {
  const inData = (name: string) => path.join(dataDirectory, name);
  return {
    dataDirectory,
    config: inData("jupyterhub_config.py"),
    idleCuller: inData("hubfed_idle_culler.py"),
    authenticator: inData("hubfed_authenticator.py"),
    jupyterConfigDirectory: inData("jupyter-config"),
    database: inData("jupyterhub.sqlite"),
    cookieSecret: inData("jupyterhub_cookie_secret"),
    proxyPidFile: inData("jupyterhub-proxy.pid"),
    hubPidFile: inData("jupyterhub.pid"),
    log: inData("jupyterhub.log"),
    homes: inData("homes"),
    archive: inData("archive"),
  };
}

export type LocalHubPathSet = ReturnType<typeof localHubPaths>;

/** The address to reach the proxy's public port from this machine. */
export function localHubOrigin(hub: Pick<LocalHub, "ports" | "publicHost">): string {
  const host = hub.publicHost === "0.0.0.0" ? "127.0.0.1" : hub.publicHost;
  return `http://${host}:${hub.ports.proxyPublic}`;
}

/** Where the portal sends people back after sign-in; registered verbatim as the client's redirect URI. */
export function localHubCallbackUrl(hub: Pick<LocalHub, "ports" | "publicHost">): string {
  return `${localHubOrigin(hub)}/hub/oauth_callback`;
}
