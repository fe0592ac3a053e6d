import { z } from "zod";
import { identityProviders, interfaces, type HubRequestForm } from "../requests/form";

/**
 * A hub's desired state (SPEC §2 "Hub"): what reconcile converges a runtime
 * to. Stored as Hub.spec and validated on every read and write; every change
 * bumps Hub.specRevision.
 */
export const hubSpecSchema = z.object({
  image: z.string().min(1),
  interface: z.enum(interfaces),
  memoryGuaranteeMib: z.number().int().positive(),
  memoryLimitMib: z.number().int().positive(),
  cpuGuaranteeMilli: z.number().int().positive(),
  cpuLimitMilli: z.number().int().positive(),
  storageGib: z.number().int().positive(),
  cullTimeoutSeconds: z.number().int().positive(),
  cullMaxAgeSeconds: z.number().int().nonnegative(),
  startTimeoutSeconds: z.number().int().positive(),
  /** Warm seats held by default; the capacity plan raises it ahead of classes. */
  placeholderSeats: z.number().int().nonnegative(),
  autograder: z.object({ isEnabled: z.boolean() }),
  auth: z.object({
    provider: z.enum(identityProviders),
    issuerUrl: z.string().url().optional(),
    allowedEmailDomains: z.array(z.string()),
  }),
});

export type HubSpec = z.infer<typeof hubSpecSchema>;

export interface RegionHubDefaults {
  image: string;
  images: Array<{ name: string; image: string }>;
  cullTimeoutSeconds: number;
  cullMaxAgeSeconds: number;
  startTimeoutSeconds: number;
}

/** Resolves the form's image choice: a curated name from the region, or the custom reference as given. */
export function resolveImage(
  choice: HubRequestForm["environment"]["image"],
  defaults: RegionHubDefaults,
): string | undefined {
  if (choice.kind === "custom") return choice.reference;
  return defaults.images.find((curated) => curated.name === choice.name)?.image;
}

/** The first spec of a hub, from the approved request and its region's defaults. */
export function buildHubSpec(form: HubRequestForm, defaults: RegionHubDefaults): HubSpec {
  const image = resolveImage(form.environment.image, defaults);
  if (!image)
    throw new Error(
      `Image ${JSON.stringify(form.environment.image)} is not offered in this region`,
    );
  return hubSpecSchema.parse({
    image,
    interface: form.environment.interface,
    memoryGuaranteeMib: form.resources.memoryGuaranteeMib,
    memoryLimitMib: form.resources.memoryLimitMib,
    cpuGuaranteeMilli: form.resources.cpuGuaranteeMilli,
    cpuLimitMilli: form.resources.cpuLimitMilli,
    storageGib: form.resources.storageGib,
    cullTimeoutSeconds: defaults.cullTimeoutSeconds,
    cullMaxAgeSeconds: defaults.cullMaxAgeSeconds,
    startTimeoutSeconds: defaults.startTimeoutSeconds,
    placeholderSeats: 0,
    autograder: { isEnabled: false },
    auth: {
      provider: form.identity.provider,
      issuerUrl: form.identity.issuerUrl,
      allowedEmailDomains: form.identity.allowedEmailDomains,
    },
  });
}
