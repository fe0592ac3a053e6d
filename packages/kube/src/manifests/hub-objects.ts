import { isJsonObject } from "../json";
import { buildHubValues } from "../values/hub-values";
import {
  formatValuesProblems,
  validateHubValues,
  type ValuesProblem,
} from "../values/values-schema";
import {
  buildCapacityPlaceholderPriorityClass,
  buildCapacityPlaceholders,
} from "./capacity-placeholders";
import { buildChartRepositoryNamespace, buildHelmRelease, buildHelmRepository } from "./flux";
import { buildHubLabels } from "./labels";
import { buildHubNamespace, buildLimitRange, buildResourceQuota } from "./namespace";
import { buildNetworkPolicies } from "./network-policies";
import { buildOidcClientSecret } from "./oidc-secret";
import { hubManifestInputSchema, type HubManifestInput, type KubernetesManifest } from "./types";

/** "apps/v1 Deployment hub-x/hubfed-capacity-placeholders": how objects appear in logs and errors, never their content. */
export function describeManifest(
  object: Pick<KubernetesManifest, "apiVersion" | "kind" | "metadata">,
): string {
  const { namespace, name } = object.metadata;
  return `${object.apiVersion} ${object.kind} ${namespace === undefined ? name : `${namespace}/${name}`}`;
}

/**
 * Everything one course hub consists of (SPEC §4), in apply order: the
 * cluster's chart source first, then the namespace and its guard rails, the
 * OIDC Secret and the capacity placeholders (created with zero replicas),
 * and the HelmRelease last, so the chart
 * installs into a namespace that already has what it refers to. Pure: the
 * same input always gives the same objects.
 */
export function buildHubObjects(
  input: HubManifestInput,
  { clientSecret }: { clientSecret: string },
): KubernetesManifest[] {
  const hub = hubManifestInputSchema.parse(input);
  const labels = buildHubLabels(hub);
  return [
    buildChartRepositoryNamespace(hub.chart),
    buildHelmRepository(hub.chart),
    buildHubNamespace(hub),
    buildResourceQuota(hub, labels),
    buildLimitRange(hub, labels),
    ...buildNetworkPolicies(hub, labels),
    buildOidcClientSecret(hub, labels, clientSecret),
    buildCapacityPlaceholderPriorityClass(),
    buildCapacityPlaceholders(hub, labels),
    buildHelmRelease(hub, labels, buildHubValues(hub)),
  ];
}

export class HubValuesInvalidError extends Error {
  constructor(
    readonly release: string,
    readonly problems: ValuesProblem[],
  ) {
    super(
      `The Zero to JupyterHub values of ${release} do not match the chart's schema: ${formatValuesProblems(problems)}`,
    );
    this.name = "HubValuesInvalidError";
  }
}

/**
 * The gate before apply (SPEC §4: values MUST validate before anything is
 * applied): checks every HelmRelease's values against the chart's schema and
 * returns the objects unchanged, or throws and lets none of them through.
 */
export function validateBeforeApply<T extends KubernetesManifest>(
  objects: T[],
  options: { schemaPath?: string } = {},
): T[] {
  for (const object of objects) {
    if (object.kind !== "HelmRelease") continue;
    const spec = object.spec;
    const values = isJsonObject(spec) ? (spec.values ?? {}) : {};
    const validation = validateHubValues(values, options);
    if (!validation.isValid)
      throw new HubValuesInvalidError(describeManifest(object), validation.problems);
  }
  return objects;
}
