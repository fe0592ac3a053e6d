import { hubSpecSchema, type HubSpec } from "@hubfed/hub-spec";
import type { RegionHubDefaults } from "../regions/settings";
import type { HubRequestForm } from "./form";

/** What of a region's hub defaults goes into a new hub's spec. */
type RegionHubDefaultsForSpec = Pick<
  RegionHubDefaults,
  "image" | "images" | "cullTimeoutSeconds" | "cullMaxAgeSeconds" | "startTimeoutSeconds"
>;

/** Resolves the form's image choice: a curated name from the region, or the custom reference as given. */
export function resolveImage(
  choice: HubRequestForm["environment"]["image"],
  defaults: RegionHubDefaultsForSpec,
): string | undefined {
  if (choice.kind === "custom") return choice.reference;
  return defaults.images.find((curated) => curated.name === choice.name)?.image;
}

/** The first spec of a hub, from the approved request and its region's defaults. */
export function buildHubSpec(form: HubRequestForm, defaults: RegionHubDefaultsForSpec): HubSpec {
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
    autograder: { isEnabled: form.environment.autograder },
    auth: {
      provider: form.identity.provider,
      issuerUrl: form.identity.issuerUrl,
      allowedEmailDomains: form.identity.allowedEmailDomains,
    },
  });
}
