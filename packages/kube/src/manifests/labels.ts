import { type HubManifestInput } from "./types";

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "hubfed";
export const HUB_LABEL = "hubfed.io/hub";
export const COURSE_LABEL = "hubfed.io/course";
export const INSTITUTION_LABEL = "hubfed.io/institution";
export const REGION_LABEL = "hubfed.io/region";

/** One namespace per hub; the Helm release carries the same name, unique in the cluster. */
export function buildHubNamespaceName(hubSlug: string): string {
  return `hub-${hubSlug}`;
}

export function buildHubHost(input: Pick<HubManifestInput, "hubSlug" | "baseDomain">): string {
  return `${input.hubSlug}.${input.baseDomain}`;
}

/**
 * Labels on every object of a hub. Cost attribution groups by them
 * (SPEC §4), and `hubfed.io/hub` finds everything a hub owns.
 */
export function buildHubLabels(input: HubManifestInput): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [HUB_LABEL]: input.hubSlug,
    [COURSE_LABEL]: input.courseSlug,
    [INSTITUTION_LABEL]: input.institutionSlug,
    [REGION_LABEL]: input.regionSlug,
  };
}

/** Labels on objects shared by every hub of a cluster. */
export function buildClusterLabels(): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, "app.kubernetes.io/part-of": "hubfed" };
}
