import { type JsonObject } from "../json";
import { type ResourceType, qualifiedResourceName } from "./resource-types";

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/**
 * A failed request, answered as a `Status` object (kind Status, status
 * Failure) with the reason and code a real API server would give, so clients
 * branch on them exactly as they would in production.
 */
export class KubernetesApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details: JsonObject = {},
  ) {
    super(message);
    this.name = "KubernetesApiError";
  }

  toStatus(): JsonObject {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      details: this.details,
      code: this.code,
    };
  }
}

function resourceDetails(type: ResourceType, name: string): JsonObject {
  return type.group === ""
    ? { name, kind: type.plural }
    : { name, group: type.group, kind: type.plural };
}

export function notFoundError(type: ResourceType, name: string): KubernetesApiError {
  return new KubernetesApiError(
    404,
    "NotFound",
    `${qualifiedResourceName(type)} "${name}" not found`,
    resourceDetails(type, name),
  );
}

export function alreadyExistsError(type: ResourceType, name: string): KubernetesApiError {
  return new KubernetesApiError(
    409,
    "AlreadyExists",
    `${qualifiedResourceName(type)} "${name}" already exists`,
    resourceDetails(type, name),
  );
}

export function staleResourceVersionError(type: ResourceType, name: string): KubernetesApiError {
  return new KubernetesApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedResourceName(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    resourceDetails(type, name),
  );
}

export function applyConflictError(
  type: ResourceType,
  name: string,
  conflicts: ReadonlyArray<{ manager: string; field: string }>,
): KubernetesApiError {
  const causes: StatusCause[] = conflicts.map(({ manager, field }) => ({
    reason: "FieldManagerConflict",
    message: `conflict with "${manager}"`,
    field,
  }));
  const listing = conflicts.map(({ manager, field }) => `conflict with "${manager}": ${field}`);
  const noun = conflicts.length === 1 ? "conflict" : "conflicts";
  return new KubernetesApiError(
    409,
    "Conflict",
    `Apply failed with ${conflicts.length} ${noun}: ${listing.join("; ")}`,
    { ...resourceDetails(type, name), causes: causes.map((cause) => ({ ...cause })) },
  );
}

export function invalidError(
  type: ResourceType,
  name: string,
  causes: StatusCause[],
): KubernetesApiError {
  const kindName = `${type.kind} "${name}"`;
  const problems = causes.map((cause) => `${cause.field ?? ""}: ${cause.message}`).join(", ");
  return new KubernetesApiError(422, "Invalid", `${kindName} is invalid: ${problems}`, {
    ...resourceDetails(type, name),
    causes: causes.map((cause) => ({ ...cause })),
  });
}

export function badRequestError(message: string): KubernetesApiError {
  return new KubernetesApiError(400, "BadRequest", message);
}

export function goneError(message: string): KubernetesApiError {
  return new KubernetesApiError(410, "Expired", message);
}
