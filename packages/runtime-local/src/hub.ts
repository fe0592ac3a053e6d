import { createHash } from "node:crypto";
import path from "node:path";
import {
  hubSignInRefreshSeconds,
  hubSpecSchema,
  type HubSpecFieldHandling,
} from "@hubfed/hub-spec";
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

/**
 * The part of the hub spec (one definition, in @hubfed/hub-spec) a local hub
 * applies; `localSpecFieldHandling` says where each field goes and why the
 * others do not apply. A hub run on its own (tests) may turn the idle rule
 * off with 0; the portal always sets one.
 */
export const localHubSpecSchema = hubSpecSchema
  .pick({
    image: true,
    interface: true,
    memoryGuaranteeMib: true,
    memoryLimitMib: true,
    cpuLimitMilli: true,
    storageGib: true,
    cullTimeoutSeconds: true,
    cullMaxAgeSeconds: true,
    startTimeoutSeconds: true,
    autograder: true,
  })
  .partial({ image: true })
  .extend({
    cullTimeoutSeconds: z.number().int().nonnegative(),
    autograder: hubSpecSchema.shape.autograder.default({ isEnabled: false }),
  });

/**
 * Where each field of the hub spec lands on a local hub. A new spec field
 * does not compile here until it is placed (or said not to apply).
 */
export const localSpecFieldHandling = {
  image: "not applied: a local hub runs the Python environment the machine has",
  interface: "Spawner.default_url, when the machine has that interface",
  memoryGuaranteeMib: "Spawner.mem_guarantee (told to the server)",
  memoryLimitMib:
    "Spawner.mem_limit, enforced per student in a cgroup where the machine allows it, else per process (RLIMIT_DATA)",
  cpuGuaranteeMilli: "not applied: one machine has no scheduler to reserve CPU for a user",
  cpuLimitMilli:
    "Spawner.cpu_limit, enforced per student as a cgroup CPU quota where the machine allows it, else the server runs at a lower priority (nice)",
  storageGib:
    "each home is an ext4 file system of this size (a loop-mounted image) where the machine can mount one, else checked at spawn (docs/local-runtime.md)",
  cullTimeoutSeconds: "the idle culler's --timeout",
  cullMaxAgeSeconds: "the idle culler's --max-age",
  startTimeoutSeconds: "Spawner.start_timeout",
  placeholderSeats:
    "not applied: one machine has no nodes to warm; the plan still counts these seats against its memory",
  autograder:
    "the student module (studentModuleDirectory on PYTHONPATH) and its server extension (jupyter-config/), HUBFED_PORTAL_URL and HUBFED_HUB_SLUG in Spawner.environment; grading itself is the worker's local sandbox",
  auth: "not applied: the hub signs in through the portal, which applies these rules",
} as const satisfies HubSpecFieldHandling;

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
  /**
   * The origin students' browsers use, when a DNS name or a TLS terminator stands in front of the
   * public port (region.yaml local.publicUrl); the sign-in redirect URI is built on it. Default:
   * http://<publicHost>:<public port>.
   */
  publicUrl: httpUrlSchema.optional(),
  spec: localHubSpecSchema,
  admins: z.array(z.string().min(1).max(200)).default([]),
  serviceTokens: z.object({
    portal: z.string().min(16).max(512),
    /** The `hubfed health-check` service's token; without it the hub has no such service. */
    healthCheck: z.string().min(16).max(512).optional(),
  }),
  authentication: localHubAuthenticationSchema,
  /**
   * How often a signed-in person's course roles are read again from the portal (portal-oidc
   * sign-in); the federation's interval unless a test shortens it.
   */
  authRefreshSeconds: z.number().int().positive().default(hubSignInRefreshSeconds),
  /** How often the idle culler looks; by default a third of the shortest cull rule, 5–60 s. */
  cullIntervalSeconds: z.number().int().positive().optional(),
  /**
   * The memory this hub may promise its users at once: a spawn whose guarantee would not fit
   * (running servers × guarantee) is refused with "the hub is at capacity". Unset, only the
   * machine's available memory is checked (docs/local-runtime.md).
   */
  userMemoryBudgetMib: z.number().int().positive().optional(),
  /**
   * Processes and threads one student may run (RLIMIT_NPROC on their account, and pids.max in
   * their cgroup): a fork bomb stops there instead of taking the machine. A notebook server with
   * a NumPy kernel runs about 30 threads on two cores.
   */
  maxProcessesPerStudent: z.number().int().min(16).max(65_536).default(256),
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
    capacityGate: inData("hubfed_capacity.py"),
    spawner: inData("hubfed_spawner.py"),
    /** Written by the hub at start: which limit and storage mechanisms are in force. */
    limits: inData("limits.json"),
    /** With loop storage: one ext4 image per home, `<user>.ext4`. */
    storage: inData("storage"),
    /**
     * The autograder's student module, on user servers' PYTHONPATH. A directory of its own:
     * the data directory's own modules (authenticator, capacity gate) stay out of users' imports.
     */
    studentModuleDirectory: inData("student-python"),
    studentModule: inData("student-python/hubfed_autograder.py"),
    jupyterConfigDirectory: inData("jupyter-config"),
    database: inData("jupyterhub.sqlite"),
    cookieSecret: inData("jupyterhub_cookie_secret"),
    /** The key JupyterHub encrypts each user's auth state (their portal tokens) with. */
    authStateKey: inData("jupyterhub_auth_state_key"),
    proxyPidFile: inData("jupyterhub-proxy.pid"),
    hubPidFile: inData("jupyterhub.pid"),
    log: inData("jupyterhub.log"),
    homes: inData("homes"),
    archive: inData("archive"),
  };
}

/**
 * The prefix of a hub's student accounts (`hf<6 hex>-`, 9 characters): the same data directory
 * always gives the same accounts, two hubs never share one, and what follows (at most 23
 * characters, hubfed_spawner.account_name) keeps the name within Linux's 32.
 */
export function localStudentAccountPrefix(dataDirectory: string): string {
  return `hf${createHash("sha256").update(dataDirectory).digest("hex").slice(0, 6)}-`;
}

/** The cgroup under the hub's own that holds one cgroup per student account. */
export function localHubCgroupName(dataDirectory: string): string {
  return `hubfed-${localStudentAccountPrefix(dataDirectory).slice(0, -1)}`;
}

export type LocalHubPathSet = ReturnType<typeof localHubPaths>;

/** The address to reach the proxy's public port from this machine. */
export function localHubOrigin(hub: Pick<LocalHub, "ports" | "publicHost">): string {
  const host = hub.publicHost === "0.0.0.0" ? "127.0.0.1" : hub.publicHost;
  return `http://${host}:${hub.ports.proxyPublic}`;
}

/** The hub's address for people: its public URL when one is configured, else the proxy's port. */
export function localHubPublicOrigin(
  hub: Pick<LocalHub, "ports" | "publicHost" | "publicUrl">,
): string {
  return hub.publicUrl ? hub.publicUrl.replace(/\/+$/, "") : localHubOrigin(hub);
}

/** Where the portal sends people back after sign-in; registered verbatim as the client's redirect URI. */
export function localHubCallbackUrl(
  hub: Pick<LocalHub, "ports" | "publicHost" | "publicUrl">,
): string {
  return `${localHubPublicOrigin(hub)}/hub/oauth_callback`;
}
