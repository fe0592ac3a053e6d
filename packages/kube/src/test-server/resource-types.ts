/**
 * The kinds the test server serves: what Hubfed creates for a course hub, what
 * the Zero to JupyterHub chart creates that Hubfed reads, and Flux's objects.
 */
export interface ResourceType {
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  isNamespaced: boolean;
  /** Has a /status subresource; writes to the main resource leave .status alone. */
  hasStatus: boolean;
  /** Has a /scale subresource (autoscaling/v1 Scale over .spec.replicas). */
  hasScale: boolean;
  /** Has a /log subresource (pods: what the containers wrote, as text). */
  hasLog: boolean;
  /**
   * What a delete does to dependents (objects whose ownerReferences name it)
   * when the request gives no propagationPolicy: batch/v1 Jobs orphan their
   * pods by default, everything else deletes them in the background.
   */
  defaultPropagation: "Orphan" | "Background";
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  coreType("Namespace", "namespaces", ["ns"], { isNamespaced: false, hasStatus: true }),
  coreType("Secret", "secrets", []),
  coreType("ConfigMap", "configmaps", ["cm"]),
  coreType("Service", "services", ["svc"], { hasStatus: true }),
  coreType("ServiceAccount", "serviceaccounts", ["sa"]),
  coreType("ResourceQuota", "resourcequotas", ["quota"], { hasStatus: true }),
  coreType("LimitRange", "limitranges", ["limits"]),
  coreType("Pod", "pods", ["po"], { hasStatus: true, hasLog: true }),
  coreType("PersistentVolumeClaim", "persistentvolumeclaims", ["pvc"], { hasStatus: true }),
  groupType("apps", "v1", "Deployment", "deployments", ["deploy"], {
    hasStatus: true,
    hasScale: true,
  }),
  groupType("apps", "v1", "StatefulSet", "statefulsets", ["sts"], {
    hasStatus: true,
    hasScale: true,
  }),
  groupType("batch", "v1", "Job", "jobs", [], {
    hasStatus: true,
    defaultPropagation: "Orphan",
  }),
  groupType("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", ["netpol"]),
  groupType("networking.k8s.io", "v1", "Ingress", "ingresses", ["ing"], { hasStatus: true }),
  groupType("rbac.authorization.k8s.io", "v1", "Role", "roles", []),
  groupType("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", []),
  groupType("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", ["pc"], {
    isNamespaced: false,
  }),
  groupType("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases", ["hr"], {
    hasStatus: true,
  }),
  groupType("source.toolkit.fluxcd.io", "v1", "HelmRepository", "helmrepositories", ["helmrepo"], {
    hasStatus: true,
  }),
];

interface TypeOptions {
  isNamespaced?: boolean;
  hasStatus?: boolean;
  hasScale?: boolean;
  hasLog?: boolean;
  defaultPropagation?: "Orphan" | "Background";
}

function coreType(kind: string, plural: string, shortNames: string[], options: TypeOptions = {}) {
  return groupType("", "v1", kind, plural, shortNames, options);
}

function groupType(
  group: string,
  version: string,
  kind: string,
  plural: string,
  shortNames: string[],
  {
    isNamespaced = true,
    hasStatus = false,
    hasScale = false,
    hasLog = false,
    defaultPropagation = "Background",
  }: TypeOptions = {},
): ResourceType {
  const singular = kind.toLowerCase();
  return {
    group,
    version,
    kind,
    plural,
    singular,
    shortNames,
    isNamespaced,
    hasStatus,
    hasScale,
    hasLog,
    defaultPropagation,
  };
}

/** "v1" for the core group, "apps/v1" otherwise: the apiVersion objects carry. */
export function apiVersionOf(type: ResourceType): string {
  return type.group === "" ? type.version : `${type.group}/${type.version}`;
}

/** "deployments.apps" / "namespaces": how the API server names a resource in messages. */
export function qualifiedResourceName(type: ResourceType): string {
  return type.group === "" ? type.plural : `${type.plural}.${type.group}`;
}

export function findResourceTypeByPlural(
  group: string,
  version: string,
  plural: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    (type) => type.group === group && type.version === version && type.plural === plural,
  );
}

export function findResourceTypeByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((type) => apiVersionOf(type) === apiVersion && type.kind === kind);
}

export function requireResourceTypeByKind(apiVersion: string, kind: string): ResourceType {
  const type = findResourceTypeByKind(apiVersion, kind);
  if (!type) throw new Error(`The Kubernetes test server does not serve ${apiVersion} ${kind}`);
  return type;
}

export const NAMESPACE_TYPE = requireResourceTypeByKind("v1", "Namespace");

/** Group versions in discovery order (core first). */
export function listGroupVersions(): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const type of RESOURCE_TYPES) {
    seen.set(apiVersionOf(type), { group: type.group, version: type.version });
  }
  return [...seen.values()];
}
