import { parsePreviousSecretKeys } from "@hubfed/identity/secret-box";
import path from "node:path";
import { z } from "zod";
import { gitOpsDestinationFor, type GitOpsSettings } from "@hubfed/core/gitops";
import { queueNames, type QueueName } from "@hubfed/jobs";

// The worker's environment, parsed once (STYLE rule 4). Exported for the chart's tests, which
// check that the chart sets every variable.
export const workerEnvironmentSchema = z.object({
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url(),
  WORKER_ID: z.string().min(1).optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Where the worker answers Kubernetes' probes (/livez, /readyz); unset, it listens nowhere. */
  WORKER_PROBE_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /**
   * The queues this worker processes, comma-separated (default: all). A
   * federation can run grading-only workers beside the rest, e.g.
   * WORKER_QUEUES=grading on machines kept for the deadline rush.
   */
  WORKER_QUEUES: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined) return undefined;
      const names = value
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean);
      const known: string[] = Object.values(queueNames);
      const unknown = names.filter((name) => !known.includes(name));
      if (unknown.length > 0 || names.length === 0)
        context.addIssue({
          code: "custom",
          message: `name queues from ${known.join(", ")}${unknown.length ? ` (not: ${unknown.join(", ")})` : ""}`,
        });
      return names as QueueName[];
    }),
  /** trace, debug, info (the default), warn, error or silent: what the JSON logs keep. */
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  /**
   * Bearer token a scrape of /metrics (on WORKER_PROBE_PORT) must send. Unset, /metrics answers
   * only direct connections from this machine (docs/observability.md).
   */
  HUBFED_METRICS_TOKEN: z.string().min(16, "use at least 16 random characters").optional(),
  /** smtp://user:pass@host:port (or smtps://). Without it, notifications stay in-app only. */
  SMTP_URL: z.string().url().optional(),
  SMTP_FROM: z.string().min(3).default("Hubfed <no-reply@hubfed.example>"),
  /** The portal's public URL, for links in emails. */
  PORTAL_URL: z.string().url().default("http://localhost:3000"),
  /** 32 random bytes, base64: seals hub client secrets and service tokens at rest. */
  HUBFED_SECRET_KEY: z
    .string()
    .refine(
      (value) => Buffer.from(value, "base64").length === 32,
      "must be 32 bytes, base64-encoded",
    ),
  /**
   * Keys sealed with before the current HUBFED_SECRET_KEY, comma-separated: they still open
   * values during a rotation, until `reseal-secrets` has rewritten every row (ADR 0007).
   */
  HUBFED_PREVIOUS_SECRET_KEYS: z.string().default("").transform(parsePreviousSecretKeys),
  /** Where local hubs keep their data (one directory per hub). */
  HUBFED_HUBS_DIR: z.string().min(1).default(".data/hubs"),
  /** The namespace of each Kubernetes region's ingress controller (network policies allow it in). */
  HUBFED_INGRESS_NAMESPACE: z.string().min(1).default("ingress-nginx"),
  /** Where the local grading sandbox makes each submission's work directory (not under /tmp). */
  HUBFED_GRADING_DIR: z.string().min(1).default(".data/grading"),
  /**
   * Submissions graded at once by this worker on this machine: each runs a notebook
   * and its kernel. Two on a two-core machine leaves room for the portal.
   */
  HUBFED_GRADING_SLOTS: z.coerce.number().int().min(1).max(32).default(2),
  /** Days after a course's end date before its hub is decommissioned. */
  HUBFED_END_OF_TERM_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  /** GitHub's REST API, for checking content links (the fake GitHub in tests and the demo). */
  HUBFED_GITHUB_API_URL: z.string().url().default("https://api.github.com"),
  /** Optional: a read-only token raises GitHub's rate limit (link checks still confirm public repositories only). */
  HUBFED_GITHUB_TOKEN: z.string().min(1).optional(),
  /** The GitOps export: a pull request on this owner/name when it and the token are both set… */
  HUBFED_GITOPS_REPOSITORY: z.string().trim().min(1).optional(),
  HUBFED_GITOPS_TOKEN: z.string().trim().min(1).optional(),
  HUBFED_GITOPS_BASE_BRANCH: z.string().trim().min(1).default("main"),
  /** … files in this directory when neither is set. */
  HUBFED_GITOPS_DIR: z.string().min(1).default(".data/gitops"),
  /**
   * Set by the kubelet in every pod: the worker's own cluster's API server, for clusters a
   * region marks `inCluster: true` (with the pod's service account token and CA).
   */
  KUBERNETES_SERVICE_HOST: z.string().min(1).optional(),
  KUBERNETES_SERVICE_PORT: z.string().regex(/^\d+$/, "must be a port number").optional(),
});

export type WorkerEnvironment = z.infer<typeof workerEnvironmentSchema>;

/** The worker is the one process that reads its environment; everything else is handed settings. */
export function parseWorkerEnvironment(source: NodeJS.ProcessEnv = process.env): WorkerEnvironment {
  const result = workerEnvironmentSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`The worker's environment is invalid:\n${problems}`);
  }
  return result.data;
}

/**
 * The GitOps export's settings. The render settings are the ones reconcile applies with, so the
 * exported files match what runs; core decides between GitHub, a directory, or a reported mistake.
 */
export function gitOpsSettingsOf(environment: WorkerEnvironment): GitOpsSettings {
  return {
    render: {
      portalUrl: environment.PORTAL_URL,
      ingressControllerNamespace: environment.HUBFED_INGRESS_NAMESPACE,
    },
    destination: gitOpsDestinationFor({
      repository: environment.HUBFED_GITOPS_REPOSITORY,
      token: environment.HUBFED_GITOPS_TOKEN,
      baseBranch: environment.HUBFED_GITOPS_BASE_BRANCH,
      apiUrl: environment.HUBFED_GITHUB_API_URL,
      directory: path.resolve(environment.HUBFED_GITOPS_DIR),
    }),
  };
}

/**
 * What local hubs start from: the worker's whole environment (the live object, as before this
 * was passed in), so `jupyterhub` is found on the worker's PATH. Which variables a hub should
 * get is a separate decision; this only moves where the reading happens.
 */
export function environmentForLocalHubs(): NodeJS.ProcessEnv {
  return process.env;
}
