import { z } from "zod";
import { hubInterfaces } from "./interfaces";

/** How people sign in to the portal; hubs always sign in through the portal (SPEC §5). */
export const identityProviders = ["oidc", "google", "github"] as const;

export type IdentityProvider = (typeof identityProviders)[number];

/**
 * A hub's desired state (SPEC §2 "Hub"): what reconcile converges a runtime
 * to. Stored as Hub.spec and validated on every read and write; every change
 * bumps Hub.specRevision.
 *
 * This is the one definition. Each runtime declares how it handles every
 * field (`satisfies Record<keyof HubSpec, …>` in kube and runtime-local), so
 * a new field is a compile error in each until someone decides what it means
 * there.
 */
export const hubSpecSchema = z.object({
  image: z.string().min(1),
  interface: z.enum(hubInterfaces),
  memoryGuaranteeMib: z.number().int().positive(),
  memoryLimitMib: z.number().int().positive(),
  cpuGuaranteeMilli: z.number().int().positive(),
  cpuLimitMilli: z.number().int().positive(),
  storageGib: z.number().int().positive(),
  /** Idle servers are stopped after this long. */
  cullTimeoutSeconds: z.number().int().positive(),
  /** Servers are stopped after this age whatever their activity; 0 turns the rule off. */
  cullMaxAgeSeconds: z.number().int().nonnegative(),
  startTimeoutSeconds: z.number().int().positive(),
  /** Warm seats held by default; the capacity plan raises it ahead of classes. */
  placeholderSeats: z.number().int().nonnegative(),
  autograder: z.object({ isEnabled: z.boolean() }),
  /**
   * How people sign in to the portal. Hubs always authenticate against the
   * portal's OIDC provider, which applies these rules at enrollment, so the
   * runtimes do not repeat them.
   */
  auth: z.object({
    provider: z.enum(identityProviders),
    issuerUrl: z.string().url().optional(),
    allowedEmailDomains: z.array(z.string()),
  }),
});

export type HubSpec = z.infer<typeof hubSpecSchema>;

/**
 * A runtime's account of every spec field: where it goes, or why it does not
 * apply. Declared with `satisfies HubSpecFieldHandling` so that adding a field
 * to the schema fails to compile in each runtime until it is handled.
 */
export type HubSpecFieldHandling = Record<keyof HubSpec, string>;
