import { isJsonObject, readPath, type JsonObject } from "../json";
import { type StatusCause, invalidError } from "./api-errors";
import { type ResourceType } from "./resource-types";

/**
 * The object-metadata checks every API server makes, so a builder that emits
 * an uppercase name or a 70-character label value fails here as it would in a
 * real cluster instead of in production.
 */
const dnsLabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const qualifiedNamePattern = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Kinds whose names end up in DNS as a single label (namespaces, services). */
const labelNamedKinds = new Set(["Namespace", "Service"]);

export function validateObjectMetadata(type: ResourceType, object: JsonObject): void {
  const name = readPath(object, ["metadata", "name"]);
  const causes: StatusCause[] = [];
  if (typeof name !== "string" || name === "") {
    causes.push({
      reason: "FieldValueRequired",
      message: "Required value",
      field: "metadata.name",
    });
  } else if (labelNamedKinds.has(type.kind)) {
    if (name.length > 63 || !dnsLabelPattern.test(name)) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
        field: "metadata.name",
      });
    }
  } else if (name.length > 253 || !dnsSubdomainPattern.test(name)) {
    causes.push({
      reason: "FieldValueInvalid",
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      field: "metadata.name",
    });
  }
  const labels = readPath(object, ["metadata", "labels"]);
  if (labels !== undefined && !isJsonObject(labels)) {
    causes.push({
      reason: "FieldValueInvalid",
      message: "must be a map",
      field: "metadata.labels",
    });
  }
  for (const [key, value] of Object.entries(isJsonObject(labels) ? labels : {})) {
    const keyProblem = describeQualifiedNameProblem(key);
    if (keyProblem) {
      causes.push({ reason: "FieldValueInvalid", message: keyProblem, field: "metadata.labels" });
    }
    if (typeof value !== "string" || value.length > 63 || !labelValuePattern.test(value)) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: ${JSON.stringify(value)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)`,
        field: `metadata.labels.${key}`,
      });
    }
  }
  if (causes.length > 0) throw invalidError(type, typeof name === "string" ? name : "", causes);
}

function describeQualifiedNameProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !dnsSubdomainPattern.test(prefix))) {
    return `Invalid value: "${key}": prefix part must be a lowercase RFC 1123 subdomain`;
  }
  if (name.length === 0 || name.length > 63 || !qualifiedNamePattern.test(name)) {
    return `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)`;
  }
  return undefined;
}
