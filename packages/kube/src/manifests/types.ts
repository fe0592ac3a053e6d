import { hubSpecSchema } from "@hubfed/hub-spec";
import { z } from "zod";

/** The chart release the values are generated for and validated against (REFERENCE §3). */
export const Z2JH_CHART_VERSION = "4.4.0";
export const Z2JH_CHART_REPOSITORY_URL = "https://hub.jupyter.org/helm-chart/";
/** Where Hubfed keeps per-cluster objects such as the chart's HelmRepository. */
export const DEFAULT_CHART_REPOSITORY_NAMESPACE = "hubfed-system";

const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a lowercase DNS label");
const labelValue = z
  .string()
  .max(63)
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, "must be a Kubernetes label value");

export const hubManifestInputSchema = z
  .object({
    /**
     * Names the namespace (`hub-<hubSlug>`), the Helm release (the same; Helm
     * caps release names at 53 characters, hence 49 here) and the host.
     */
    hubSlug: dnsLabel.max(49),
    /** The course whose roles (`<courseSlug>:student|ta|instructor`) the portal puts in the groups claim. */
    courseSlug: labelValue,
    institutionSlug: labelValue,
    regionSlug: labelValue,
    /** The region's base domain; the hub is served at `<hubSlug>.<baseDomain>`. */
    baseDomain: z.string().min(1),
    ingressClass: z.string().min(1),
    /** Where the ingress controller runs, so the proxy accepts traffic from it and nothing else outside. */
    ingressControllerNamespace: dnsLabel,
    storageClass: z.string().min(1),
    /** "require" when the cluster has a dedicated user node pool, "prefer" otherwise. */
    userNodeAffinity: z.enum(["prefer", "require"]),
    /**
     * The portal's URL: user servers fetch assignments from it (HUBFED_PORTAL_URL) when the
     * autograder is enabled.
     */
    portalUrl: z.url(),
    spec: hubSpecSchema,
    expectedConcurrentUsers: z.number().int().positive(),
    /**
     * The hub's capacity placeholders (`capacity-placeholders.ts`): one pod
     * per user node, node-sized (`placeholderPodSizeFor(pool)`), at most
     * `maxPods` at once. The quota admits `maxPods` of them; how many run is
     * the capacity job's scale call, not part of the input.
     */
    capacityPlaceholders: z.object({
      podMemoryMib: z.number().int().positive(),
      podCpuMilli: z.number().int().positive(),
      maxPods: z.number().int().nonnegative(),
    }),
    /** The hub's client at the portal's OIDC provider. */
    oidc: z.object({
      clientId: z.string().min(1),
      issuerUrl: z.url(),
      authorizeUrl: z.url(),
      tokenUrl: z.url(),
      userinfoUrl: z.url(),
      /** Where the hub's logout sends people: the portal's front page (SPEC §5). */
      logoutRedirectUrl: z.url(),
      /** Where in the hub namespace the client secret is kept; the hub reads it from there. */
      clientSecretRef: z.object({ secretName: dnsLabel, key: z.string().min(1) }),
      /**
       * Changes whenever the client secret does (e.g. the time of its last rotation). The hub reads
       * the secret from its environment at start only, so a new value must roll the hub pod.
       */
      clientSecretRevision: z.string().min(1).max(63).optional(),
    }),
    /**
     * The hub is suspended (issue 17, docs/adr/0011-suspended-hubs-scale-to-zero.md): its release
     * keeps every object and volume but runs nothing — the chart's Deployments at zero replicas
     * (a Flux post-renderer) and no image puller. Reconcile stops the user servers.
     */
    isSuspended: z.boolean().optional(),
    chart: z.object({
      version: z.literal(Z2JH_CHART_VERSION),
      repositoryUrl: z.url(),
      repositoryName: dnsLabel,
      repositoryNamespace: dnsLabel,
    }),
  })
  .superRefine((input, context) => {
    if (input.spec.memoryLimitMib < input.spec.memoryGuaranteeMib) {
      context.addIssue({
        code: "custom",
        path: ["spec", "memoryLimitMib"],
        message: "must be ≥ the guarantee",
      });
    }
    if (input.spec.cpuLimitMilli < input.spec.cpuGuaranteeMilli) {
      context.addIssue({
        code: "custom",
        path: ["spec", "cpuLimitMilli"],
        message: "must be ≥ the guarantee",
      });
    }
  });

export type HubManifestInput = z.infer<typeof hubManifestInputSchema>;

export interface ObjectMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A Kubernetes object as the builders produce it: plain data, ready for server-side apply. */
export interface KubernetesManifest {
  apiVersion: string;
  kind: string;
  metadata: ObjectMetadata;
  [field: string]: unknown;
}
