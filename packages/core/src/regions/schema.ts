import { hubInterfaces } from "@hubfed/hub-spec";
import { createHash } from "node:crypto";
import { z } from "zod";

const MICROS_PER_UNIT = 1_000_000n;
// NodePool.hourlyPriceMicros is a PostgreSQL integer.
const MAX_DATABASE_INTEGER = 2_147_483_647;

/**
 * Converts a decimal amount ("0.262", 0.262) to integer millionths of the
 * currency unit using string arithmetic only, so no binary rounding can creep
 * into prices. A YAML number arrives as a JavaScript number; `String(n)` is
 * the shortest decimal that round-trips, i.e. the digits that were written.
 */
export function parseMoneyToMicros(
  amount: string | number,
): { micros: number } | { problem: string } {
  const text = typeof amount === "number" ? String(amount) : amount.trim();
  if (text.startsWith("-")) return { problem: "must not be negative" };
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return { problem: `must be a decimal amount such as "0.262" (got "${text}")` };
  const [, whole = "0", fraction = ""] = match;
  if (fraction.length > 6)
    return { problem: "must have at most 6 decimal places (millionths of the currency unit)" };
  const micros = BigInt(whole) * MICROS_PER_UNIT + BigInt(fraction.padEnd(6, "0"));
  if (micros > BigInt(Number.MAX_SAFE_INTEGER)) return { problem: "is too large" };
  return { micros: Number(micros) };
}

const moneySchema = z
  .union([z.string(), z.number()])
  // `pattern` and `minimum` only reach the JSON Schema, where they apply to strings and numbers respectively.
  .meta({
    description: 'A decimal amount in the region\'s currency, e.g. "0.262"; at most 6 decimals.',
    pattern: "^\\d+(\\.\\d{1,6})?$",
    minimum: 0,
  })
  .transform((amount, context) => {
    const result = parseMoneyToMicros(amount);
    if ("micros" in result) return result.micros;
    context.addIssue({ code: "custom", message: result.problem });
    return z.NEVER;
  });

const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    "must be lowercase letters and digits separated by single dashes",
  )
  .max(63);

const nonEmptyText = z.string().trim().min(1, "must not be empty");
const positiveInteger = z.number().int().positive();
const nonNegativeInteger = z.number().int().nonnegative();
const port = z.number().int().min(1024).max(65535);
/** An http(s) origin with `{port}` standing for a hub's public port, and nothing after it. */
const localPublicUrl = z
  .string()
  .refine((value) => value.includes("{port}"), "must contain {port}, the hub's public port")
  .refine((value) => {
    try {
      const url = new URL(value.replace("{port}", "18000"));
      return (
        ["http:", "https:"].includes(url.protocol) &&
        url.pathname === "/" &&
        !url.search &&
        !url.hash &&
        !url.username &&
        !url.password
      );
    } catch {
      return false;
    }
  }, "must be an http(s) origin such as https://hubs.college.edu:{port}, with no path");
// A pinned tag or digest: an unpinned image changes under running courses.
const containerImage = z
  .string()
  .regex(
    /^\S+(?::\w[\w.-]{0,127}|@sha256:[0-9a-f]{64})$/,
    "must be an image reference with a tag or digest",
  );

const cloudProviders = ["aws", "gcp", "azure", "onprem"] as const;
export type CloudProviderName = (typeof cloudProviders)[number];

// Catches billing ids pasted from the wrong console; credits attach to these.
const billingAccountIdPatterns: Partial<
  Record<CloudProviderName, { pattern: RegExp; example: string }>
> = {
  aws: { pattern: /^\d{12}$/, example: "a 12-digit AWS account id" },
  gcp: {
    pattern: /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/,
    example: "a GCP billing account id like 01ABCD-234567-89EF01",
  },
  azure: {
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    example: "an Azure subscription id (a lowercase UUID)",
  },
};

const cloudSchema = z
  .strictObject({
    slug: slugSchema,
    provider: z.enum(cloudProviders),
    billingAccountId: nonEmptyText.meta({
      description: "AWS account, GCP billing account, Azure subscription or on-prem allocation id.",
    }),
    displayName: nonEmptyText,
  })
  .superRefine((cloud, context) => {
    const expected = billingAccountIdPatterns[cloud.provider];
    if (expected && !expected.pattern.test(cloud.billingAccountId)) {
      context.addIssue({
        code: "custom",
        path: ["billingAccountId"],
        message: `must be ${expected.example}`,
      });
    }
  });

const nodePoolSchema = z
  .strictObject({
    name: slugSchema,
    purpose: z
      .enum(["core", "user"])
      .meta({ description: "core: hub, proxy and portal services; user: single-user servers." }),
    machineType: nonEmptyText,
    vcpu: positiveInteger,
    memoryGib: positiveInteger
      .optional()
      .meta({ description: "Memory per node in GiB; give this or memoryMib." }),
    memoryMib: positiveInteger
      .optional()
      .meta({ description: "Memory per node in MiB; give this or memoryGib." }),
    hourlyPrice: moneySchema.meta({ description: "On-demand price per node per hour." }),
    minNodes: nonNegativeInteger,
    maxNodes: positiveInteger,
  })
  .superRefine((pool, context) => {
    if ((pool.memoryGib === undefined) === (pool.memoryMib === undefined)) {
      context.addIssue({
        code: "custom",
        path: ["memoryGib"],
        message: "give exactly one of memoryGib and memoryMib",
      });
    }
    if (pool.hourlyPrice > MAX_DATABASE_INTEGER) {
      context.addIssue({
        code: "custom",
        path: ["hourlyPrice"],
        message: "must be at most 2147.483647 per hour",
      });
    }
    if (pool.maxNodes < pool.minNodes) {
      context.addIssue({
        code: "custom",
        path: ["maxNodes"],
        message: `must be ≥ minNodes (${pool.minNodes})`,
      });
    }
  })
  .transform(({ memoryGib, memoryMib, hourlyPrice, ...pool }) => ({
    ...pool,
    memoryMib: memoryMib ?? (memoryGib ?? 0) * 1024,
    hourlyPriceMicros: hourlyPrice,
  }));

const kubernetesConnectionSchema = z
  .strictObject({
    apiServerUrl: z.url({ protocol: /^https?$/ }).optional(),
    kubeconfigPath: nonEmptyText
      .optional()
      .meta({ description: "A kubeconfig file on the worker's machine." }),
    inCluster: z
      .boolean()
      .optional()
      .meta({ description: "Use the worker's own service account." }),
    ingressClass: nonEmptyText,
    storageClass: nonEmptyText,
    simulated: z.boolean().optional().meta({
      description:
        "The API server is a stand-in (the demo's in-repo Kubernetes API test server): hubs are provisioned against it, but no JupyterHub answers at their addresses, so the portal labels them and never sends anyone there.",
    }),
  })
  .superRefine((connection, context) => {
    const ways = [
      connection.apiServerUrl !== undefined,
      connection.kubeconfigPath !== undefined,
      connection.inCluster === true,
    ];
    if (ways.filter(Boolean).length !== 1) {
      context.addIssue({
        code: "custom",
        path: [],
        message: "give exactly one of apiServerUrl, kubeconfigPath and inCluster: true",
      });
    }
  });

const clusterCommonShape = {
  slug: slugSchema,
  displayName: nonEmptyText,
  nodePools: z.array(nodePoolSchema).min(1),
  leadTimeMinutes: positiveInteger.max(240).default(15).meta({
    description:
      "How long before a rush the capacity plan asks for nodes: node ready plus image pull (default 15 min; raise it for large images).",
  }),
};

const kubernetesClusterSchema = z.strictObject({
  ...clusterCommonShape,
  runtime: z.literal("kubernetes"),
  cloud: slugSchema.meta({
    description: "Slug of the cloud (in this region) that pays for the cluster.",
  }),
  kubernetes: kubernetesConnectionSchema,
});

const localClusterSchema = z.strictObject({
  ...clusterCommonShape,
  runtime: z
    .literal("local")
    .meta({ description: "Hubs run as JupyterHub processes on the portal's machine." }),
  cloud: slugSchema.optional(),
  local: z.strictObject({
    portRange: z
      .strictObject({ start: port, end: port })
      .refine((range) => range.start <= range.end, { path: ["end"], message: "must be ≥ start" }),
    bindAddress: z
      .union([z.ipv4(), z.ipv6()], { error: "must be an IP address, such as 0.0.0.0" })
      .optional()
      .meta({
        description:
          "Where each hub's public port listens: 127.0.0.1 (the default) serves this machine only, 0.0.0.0 every interface, or one interface's address.",
      }),
    publicUrl: localPublicUrl.optional().meta({
      description:
        "The URL students' browsers use for a hub, with {port} for its public port, e.g. https://hubs.college.edu:{port} behind a TLS terminator. Default: http://<bindAddress>:{port}. Sign-in redirects and content links use it.",
    }),
  }),
});

const clusterSchema = z.discriminatedUnion(
  "runtime",
  [kubernetesClusterSchema, localClusterSchema],
  {
    error: (issue) =>
      issue.code === "invalid_union" ? 'must be "kubernetes" or "local"' : undefined,
  },
);

const curatedImageSchema = z.strictObject({
  name: slugSchema,
  image: containerImage,
  description: nonEmptyText,
});

const hubDefaultsSchema = z
  .strictObject({
    image: containerImage.meta({ description: "The default image; must be one of `images`." }),
    images: z
      .array(curatedImageSchema)
      .min(1)
      .meta({ description: "The curated images instructors choose from." }),
    interface: z.enum(hubInterfaces),
    memoryGuaranteeMib: positiveInteger.meta({
      description: "What each user is scheduled (and billed) for.",
    }),
    memoryLimitMib: positiveInteger,
    cpuGuarantee: z.number().positive(),
    cpuLimit: z.number().positive(),
    storageGib: positiveInteger.meta({ description: "Home directory size per user." }),
    cullTimeoutSeconds: positiveInteger.meta({ description: "Stop servers idle for this long." }),
    cullMaxAgeSeconds: nonNegativeInteger.meta({
      description: "Stop servers older than this; 0 means no limit.",
    }),
    startTimeoutSeconds: positiveInteger,
  })
  .superRefine((defaults, context) => {
    if (defaults.memoryGuaranteeMib > defaults.memoryLimitMib) {
      context.addIssue({
        code: "custom",
        path: ["memoryGuaranteeMib"],
        message: `must be ≤ memoryLimitMib (${defaults.memoryLimitMib})`,
      });
    }
    if (defaults.cpuGuarantee > defaults.cpuLimit) {
      context.addIssue({
        code: "custom",
        path: ["cpuGuarantee"],
        message: `must be ≤ cpuLimit (${defaults.cpuLimit})`,
      });
    }
    if (!defaults.images.some((curated) => curated.image === defaults.image)) {
      context.addIssue({
        code: "custom",
        path: ["image"],
        message: "must be the image of one of hubDefaults.images",
      });
    }
    reportDuplicates(
      context,
      defaults.images.map((curated) => curated.name),
      (index) => ["images", index, "name"],
    );
  });

const pricesSchema = z
  .strictObject({
    storagePerGibMonth: moneySchema.meta({ description: "Persistent storage, per GiB per month." }),
    clusterFixedPerHour: moneySchema.meta({
      description:
        "Fixed cost of a running cluster per hour: control plane, core node, load balancer.",
    }),
  })
  .transform((prices) => ({
    storagePerGibMonthMicros: prices.storagePerGibMonth,
    clusterFixedPerHourMicros: prices.clusterFixedPerHour,
  }));

/** Adds a "duplicate" issue at every repeat of a value after its first occurrence. */
function reportDuplicates(
  context: z.RefinementCtx,
  values: string[],
  pathOf: (index: number) => (string | number)[],
): void {
  const firstIndexOf = new Map<string, number>();
  values.forEach((value, index) => {
    const firstIndex = firstIndexOf.get(value);
    if (firstIndex === undefined) firstIndexOf.set(value, index);
    else
      context.addIssue({
        code: "custom",
        path: pathOf(index),
        message: `"${value}" is already used at index ${firstIndex}`,
      });
  });
}

/**
 * The schema of `regions/<region>/region.yaml`. Its output is normalised:
 * money as integer micros (`…Micros`), memory in MiB.
 */
export const regionConfigSchema = z
  .strictObject({
    slug: slugSchema.meta({ description: "Must equal the region's folder name." }),
    name: nonEmptyText,
    baseDomain: z.hostname("must be a hostname such as us-west.hubfed.example.org"),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD"),
    clouds: z.array(cloudSchema).min(1),
    clusters: z.array(clusterSchema).min(1),
    prices: pricesSchema,
    hubDefaults: hubDefaultsSchema,
  })
  .superRefine((region, context) => {
    reportDuplicates(
      context,
      region.clouds.map((cloud) => cloud.slug),
      (index) => ["clouds", index, "slug"],
    );
    reportDuplicates(
      context,
      region.clouds.map((cloud) => `${cloud.provider} ${cloud.billingAccountId}`),
      (index) => ["clouds", index, "billingAccountId"],
    );
    reportDuplicates(
      context,
      region.clusters.map((cluster) => cluster.slug),
      (index) => ["clusters", index, "slug"],
    );
    const cloudSlugs = new Set(region.clouds.map((cloud) => cloud.slug));
    region.clusters.forEach((cluster, clusterIndex) => {
      if (cluster.cloud !== undefined && !cloudSlugs.has(cluster.cloud)) {
        context.addIssue({
          code: "custom",
          path: ["clusters", clusterIndex, "cloud"],
          message: `must be the slug of a cloud of this region (${[...cloudSlugs].join(", ")})`,
        });
      }
      reportDuplicates(
        context,
        cluster.nodePools.map((pool) => pool.name),
        (index) => ["clusters", clusterIndex, "nodePools", index, "name"],
      );
    });
  });

export type RegionConfig = z.output<typeof regionConfigSchema>;
export type RegionConfigInput = z.input<typeof regionConfigSchema>;
export type ClusterConfig = RegionConfig["clusters"][number];
export type NodePoolConfig = ClusterConfig["nodePools"][number];

/** JSON with object keys sorted, so equal configs serialise identically. */
function stringifyCanonically(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stringifyCanonically).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${stringifyCanonically(entry)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * sha256 of the normalised config: comments, key order and spelling
 * ("0.26" vs 0.260) do not change it, any effective change does.
 */
export function hashRegionConfig(config: RegionConfig): string {
  return createHash("sha256").update(stringifyCanonically(config)).digest("hex");
}
