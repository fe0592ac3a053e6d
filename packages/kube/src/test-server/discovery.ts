import { type JsonObject } from "../json";
import { RESOURCE_TYPES, listGroupVersions } from "./resource-types";

/**
 * Discovery documents. KubernetesObjectApi reads APIResourceList to learn a
 * kind's plural and whether it is namespaced, and takes the first entry with
 * a matching kind, so main resources are listed before their subresources.
 */
const objectVerbs = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];
const subresourceVerbs = ["get", "patch", "update"];

export function buildCoreApiVersions(serverAddress: string): JsonObject {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function buildApiGroup(group: string): JsonObject {
  const versions = listGroupVersions()
    .filter((groupVersion) => groupVersion.group === group)
    .map(({ version }) => ({ groupVersion: `${group}/${version}`, version }));
  return {
    kind: "APIGroup",
    apiVersion: "v1",
    name: group,
    versions,
    preferredVersion: versions[0] ?? {},
  };
}

export function buildApiGroupList(): JsonObject {
  const groups = [...new Set(listGroupVersions().map(({ group }) => group))].filter(
    (group) => group !== "",
  );
  return { kind: "APIGroupList", apiVersion: "v1", groups: groups.map(buildApiGroup) };
}

export function findApiGroup(group: string): JsonObject | undefined {
  return RESOURCE_TYPES.some((type) => type.group === group && group !== "")
    ? buildApiGroup(group)
    : undefined;
}

export function buildApiResourceList(group: string, version: string): JsonObject | undefined {
  const types = RESOURCE_TYPES.filter((type) => type.group === group && type.version === version);
  if (types.length === 0) return undefined;
  const groupVersion = group === "" ? version : `${group}/${version}`;
  const resources = types.flatMap((type) => {
    const main: JsonObject = {
      name: type.plural,
      singularName: type.singular,
      namespaced: type.isNamespaced,
      kind: type.kind,
      verbs: objectVerbs,
      ...(type.shortNames.length > 0 ? { shortNames: type.shortNames } : {}),
    };
    const status: JsonObject[] = type.hasStatus
      ? [
          {
            name: `${type.plural}/status`,
            singularName: "",
            namespaced: type.isNamespaced,
            kind: type.kind,
            verbs: subresourceVerbs,
          },
        ]
      : [];
    const scale: JsonObject[] = type.hasScale
      ? [
          {
            name: `${type.plural}/scale`,
            singularName: "",
            namespaced: type.isNamespaced,
            group: "autoscaling",
            version: "v1",
            kind: "Scale",
            verbs: subresourceVerbs,
          },
        ]
      : [];
    const log: JsonObject[] = type.hasLog
      ? [
          {
            name: `${type.plural}/log`,
            singularName: "",
            namespaced: type.isNamespaced,
            kind: type.kind,
            verbs: ["get"],
          },
        ]
      : [];
    return [main, ...status, ...scale, ...log];
  });
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
}

export function buildVersionInfo(): JsonObject {
  return {
    major: "1",
    minor: "33",
    gitVersion: "v1.33.0-hubfed-test-server",
    platform: `${process.platform}/${process.arch}`,
  };
}
