import { randomBytes } from "node:crypto";
import {
  cloneJson,
  isJsonEqual,
  isJsonObject,
  readNumberAt,
  readObjectAt,
  readPath,
  readStringAt,
  type JsonObject,
  type JsonValue,
} from "../json";
import {
  alreadyExistsError,
  applyConflictError,
  badRequestError,
  invalidError,
  notFoundError,
  staleResourceVersionError,
} from "./api-errors";
import { computeServerSideApply, recordUpdateOwnership } from "./managed-fields";
import { applyJsonPatch, applyMergePatch } from "./patches";
import { NAMESPACE_TYPE, RESOURCE_TYPES, apiVersionOf, type ResourceType } from "./resource-types";
import {
  formatLabelSelector,
  matchesFieldSelector,
  matchesLabelSelector,
  type FieldRequirement,
  type LabelSelector,
} from "./selectors";
import { formatKubernetesTime, type ObjectStore } from "./store";
import { validateObjectMetadata } from "./validation";

export interface ResourceAddress {
  type: ResourceType;
  namespace: string | undefined;
  name: string;
}

export interface WriteOutcome {
  object: JsonObject;
  isChanged: boolean;
}

export type PatchKind = "merge" | "json" | "strategic";

const systemMetadataFields = [
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "managedFields",
] as const;

/**
 * What each verb means, independent of HTTP: the same rules a real API
 * server applies to metadata, status, resourceVersion preconditions and
 * field ownership. The routes translate requests into these calls.
 */
export class ResourceOperations {
  /** What each pod's containers wrote, by the pod's uid (a new pod of the same name starts empty). */
  private readonly podLogs = new Map<string, Map<string, string>>();

  constructor(private readonly store: ObjectStore) {}

  get(address: ResourceAddress): JsonObject {
    const object = this.store.read(address.type, address.namespace, address.name);
    if (!object) throw notFoundError(address.type, address.name);
    return object;
  }

  list(
    type: ResourceType,
    namespace: string | undefined,
    labelSelector: LabelSelector,
    fieldSelector: FieldRequirement[],
  ): JsonObject {
    const items = this.store
      .list(type, namespace)
      .filter((object) => matchesLabelSelector(object, labelSelector))
      .filter((object) => matchesFieldSelector(object, fieldSelector));
    return {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: this.store.currentResourceVersion },
      items,
    };
  }

  create(
    type: ResourceType,
    namespace: string | undefined,
    body: JsonValue,
    manager: string,
  ): JsonObject {
    const object = requireObjectOfType(type, body);
    const metadata = metadataOf(object);
    assignNamespace(type, metadata, namespace);
    if (typeof metadata.name !== "string" || metadata.name === "") {
      if (typeof metadata.generateName === "string" && metadata.generateName !== "") {
        metadata.name = `${metadata.generateName}${randomBytes(3).toString("hex").slice(0, 5)}`;
      }
    }
    for (const field of systemMetadataFields) delete metadata[field];
    if (type.hasStatus) delete object.status;
    applyTypeDefaults(type, object);
    validateObjectMetadata(type, object);
    const name = readStringAt(object, ["metadata", "name"]) ?? "";
    this.requireNamespaceOf(type, namespace);
    if (this.store.read(type, namespace, name)) throw alreadyExistsError(type, name);
    recordUpdateOwnership({ previous: null, next: object, manager, now: now() });
    return this.store.insert(type, object);
  }

  replace(address: ResourceAddress, body: JsonValue, manager: string): WriteOutcome {
    const current = this.get(address);
    const candidate = requireObjectOfType(address.type, body);
    requireMatchingIdentity(address, candidate);
    requireFreshResourceVersion(
      address,
      current,
      readStringAt(candidate, ["metadata", "resourceVersion"]),
    );
    return this.finishUpdate(address, current, candidate, manager);
  }

  patch(
    address: ResourceAddress,
    kind: PatchKind,
    patch: JsonValue,
    manager: string,
  ): WriteOutcome {
    const current = this.get(address);
    const patched = applyPatch(current, kind, patch);
    if (!isJsonObject(patched)) throw badRequestError("the patch did not produce an object");
    const patchedVersion = readStringAt(patched, ["metadata", "resourceVersion"]);
    // A resourceVersion inside a patch is a precondition, as on a real server.
    requireFreshResourceVersion(address, current, patchedVersion);
    return this.finishUpdate(address, current, patched, manager);
  }

  apply(
    address: ResourceAddress,
    body: JsonValue,
    options: { manager: string; isForced: boolean },
  ): WriteOutcome & { isCreated: boolean } {
    const applied = requireObjectOfType(address.type, body, { isTypeRequired: true });
    requireMatchingIdentity(address, applied);
    const current = this.store.read(address.type, address.namespace, address.name);
    if (!current) this.requireNamespaceOf(address.type, address.namespace);
    const identity: JsonObject = {
      apiVersion: apiVersionOf(address.type),
      kind: address.type.kind,
      metadata:
        address.namespace === undefined
          ? { name: address.name }
          : { name: address.name, namespace: address.namespace },
    };
    const outcome = computeServerSideApply({
      base: current ?? identity,
      applied,
      manager: options.manager,
      isForced: options.isForced,
      now: now(),
    });
    if (outcome.isConflict) throw applyConflictError(address.type, address.name, outcome.conflicts);
    const next = outcome.object;
    restoreSystemFields(address, next, current, { hasComputedOwnership: true });
    applyTypeDefaults(address.type, next);
    validateObjectMetadata(address.type, next);
    if (!current)
      return { object: this.store.insert(address.type, next), isChanged: true, isCreated: true };
    if (isJsonEqual(next, current)) return { object: current, isChanged: false, isCreated: false };
    return {
      object: this.store.replace(address.type, current, next),
      isChanged: true,
      isCreated: false,
    };
  }

  delete(address: ResourceAddress, propagationPolicy?: string): JsonObject {
    const current = this.get(address);
    const policy = propagationPolicy ?? address.type.defaultPropagation;
    if (!["Orphan", "Background", "Foreground"].includes(policy)) {
      throw badRequestError(`propagationPolicy: Unsupported value: "${policy}"`);
    }
    this.removeWithContents(address);
    if (policy !== "Orphan") this.removeDependents(current);
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: {
        name: address.name,
        ...(address.type.group === "" ? {} : { group: address.type.group }),
        kind: address.type.plural,
        uid: readStringAt(current, ["metadata", "uid"]) ?? "",
      },
    };
  }

  deleteCollection(
    type: ResourceType,
    namespace: string | undefined,
    labelSelector: LabelSelector,
    fieldSelector: FieldRequirement[],
  ): JsonObject {
    const list = this.list(type, namespace, labelSelector, fieldSelector);
    const items = Array.isArray(list.items) ? list.items.filter(isJsonObject) : [];
    for (const item of items) {
      this.removeWithContents({
        type,
        namespace: readStringAt(item, ["metadata", "namespace"]),
        name: readStringAt(item, ["metadata", "name"]) ?? "",
      });
    }
    return { ...list, metadata: { resourceVersion: this.store.currentResourceVersion } };
  }

  replaceStatus(address: ResourceAddress, body: JsonValue): WriteOutcome {
    const current = this.get(address);
    const candidate = requireObjectOfType(address.type, body);
    requireFreshResourceVersion(
      address,
      current,
      readStringAt(candidate, ["metadata", "resourceVersion"]),
    );
    return this.writeStatus(address, current, candidate.status);
  }

  patchStatus(address: ResourceAddress, kind: PatchKind, patch: JsonValue): WriteOutcome {
    const current = this.get(address);
    const patched = applyPatch(current, kind, patch);
    if (!isJsonObject(patched)) throw badRequestError("the patch did not produce an object");
    requireFreshResourceVersion(
      address,
      current,
      readStringAt(patched, ["metadata", "resourceVersion"]),
    );
    return this.writeStatus(address, current, patched.status);
  }

  /** Test hook: sets .status as a controller would, without a request. */
  setStatus(address: ResourceAddress, status: JsonValue | undefined): JsonObject {
    return this.writeStatus(address, this.get(address), status).object;
  }

  /**
   * A container's log, as GET pods/<name>/log answers it: `container` may be
   * left out when the pod has one container. Empty until the kubelet (a
   * test, through setPodLog) writes some.
   */
  readLog(address: ResourceAddress, container: string | undefined): string {
    const pod = this.get(address);
    const name = this.resolveContainer(pod, address, container);
    return this.podLogs.get(readStringAt(pod, ["metadata", "uid"]) ?? "")?.get(name) ?? "";
  }

  /** Test hook: what a container wrote, as the kubelet would keep it. */
  setLog(address: ResourceAddress, container: string | undefined, text: string): void {
    const pod = this.get(address);
    const name = this.resolveContainer(pod, address, container);
    const uid = readStringAt(pod, ["metadata", "uid"]) ?? "";
    const logs = this.podLogs.get(uid) ?? new Map<string, string>();
    logs.set(name, text);
    this.podLogs.set(uid, logs);
  }

  private resolveContainer(
    pod: JsonObject,
    address: ResourceAddress,
    container: string | undefined,
  ): string {
    const containers = readPath(pod, ["spec", "containers"]);
    const names = (Array.isArray(containers) ? containers : [])
      .map((entry) => (isJsonObject(entry) ? entry.name : undefined))
      .filter((name): name is string => typeof name === "string");
    if (container === undefined) {
      if (names.length === 1 && names[0] !== undefined) return names[0];
      throw badRequestError(
        `a container name must be specified for pod ${address.name}, choose one of: [${names.join(" ")}]`,
      );
    }
    if (!names.includes(container)) {
      throw badRequestError(`container ${container} is not valid for pod ${address.name}`);
    }
    return container;
  }

  readScale(address: ResourceAddress): JsonObject {
    return toScale(this.get(address));
  }

  replaceScale(address: ResourceAddress, body: JsonValue): WriteOutcome {
    const current = this.get(address);
    if (!isJsonObject(body)) throw badRequestError("the body must be a Scale object");
    requireFreshResourceVersion(
      address,
      current,
      readStringAt(body, ["metadata", "resourceVersion"]),
    );
    return this.writeReplicas(address, current, body);
  }

  patchScale(address: ResourceAddress, kind: PatchKind, patch: JsonValue): WriteOutcome {
    const current = this.get(address);
    const patched = applyPatch(toScale(current), kind, patch);
    if (!isJsonObject(patched)) throw badRequestError("the patch did not produce a Scale object");
    requireFreshResourceVersion(
      address,
      current,
      readStringAt(patched, ["metadata", "resourceVersion"]),
    );
    return this.writeReplicas(address, current, patched);
  }

  private finishUpdate(
    address: ResourceAddress,
    current: JsonObject,
    candidate: JsonObject,
    manager: string,
  ): WriteOutcome {
    const next = cloneJson(candidate);
    restoreSystemFields(address, next, current);
    applyTypeDefaults(address.type, next);
    validateObjectMetadata(address.type, next);
    recordUpdateOwnership({ previous: current, next, manager, now: now() });
    if (isJsonEqual(next, current)) return { object: current, isChanged: false };
    return { object: this.store.replace(address.type, current, next), isChanged: true };
  }

  private writeStatus(
    address: ResourceAddress,
    current: JsonObject,
    status: JsonValue | undefined,
  ): WriteOutcome {
    const next = cloneJson(current);
    if (status === undefined || status === null) delete next.status;
    else next.status = cloneJson(status);
    if (isJsonEqual(next, current)) return { object: current, isChanged: false };
    return { object: this.store.replace(address.type, current, next), isChanged: true };
  }

  private writeReplicas(
    address: ResourceAddress,
    current: JsonObject,
    scale: JsonObject,
  ): WriteOutcome {
    const replicas = readNumberAt(scale, ["spec", "replicas"]);
    if (replicas === undefined || !Number.isInteger(replicas) || replicas < 0) {
      throw invalidError(address.type, address.name, [
        {
          reason: "FieldValueInvalid",
          message: "must be a non-negative integer",
          field: "spec.replicas",
        },
      ]);
    }
    const next = cloneJson(current);
    next.spec = { ...(readObjectAt(next, ["spec"]) ?? {}), replicas };
    if (isJsonEqual(next, current)) return { object: toScale(current), isChanged: false };
    return { object: toScale(this.store.replace(address.type, current, next)), isChanged: true };
  }

  private requireNamespaceOf(type: ResourceType, namespace: string | undefined): void {
    if (!type.isNamespaced || namespace === undefined) return;
    if (!this.store.read(NAMESPACE_TYPE, undefined, namespace)) {
      throw notFoundError(NAMESPACE_TYPE, namespace);
    }
  }

  /**
   * The garbage collector's part of a delete: objects in the same namespace
   * whose ownerReferences name the deleted object's uid go too, and theirs
   * after them. Done at once; a real cluster does it shortly after.
   */
  private removeDependents(owner: JsonObject): void {
    const uid = readStringAt(owner, ["metadata", "uid"]);
    const namespace = readStringAt(owner, ["metadata", "namespace"]);
    if (uid === undefined || namespace === undefined) return;
    for (const type of RESOURCE_TYPES.filter((candidate) => candidate.isNamespaced)) {
      for (const object of this.store.list(type, namespace)) {
        const owners = readPath(object, ["metadata", "ownerReferences"]);
        const isOwned =
          Array.isArray(owners) &&
          owners.some((reference) => isJsonObject(reference) && reference.uid === uid);
        if (!isOwned) continue;
        const name = readStringAt(object, ["metadata", "name"]) ?? "";
        this.removeWithContents({ type, namespace, name });
        this.removeDependents(object);
      }
    }
  }

  /** Deleting a namespace deletes what is in it first, as the namespace controller would. */
  private removeWithContents(address: ResourceAddress): void {
    if (address.type === NAMESPACE_TYPE) {
      for (const type of RESOURCE_TYPES.filter((candidate) => candidate.isNamespaced)) {
        for (const object of this.store.list(type, address.name)) {
          this.store.remove(type, address.name, readStringAt(object, ["metadata", "name"]) ?? "");
        }
      }
    }
    this.store.remove(address.type, address.namespace, address.name);
  }
}

function now(): string {
  return formatKubernetesTime(new Date());
}

function metadataOf(object: JsonObject): JsonObject {
  const metadata = object.metadata;
  if (isJsonObject(metadata)) return metadata;
  const created: JsonObject = {};
  object.metadata = created;
  return created;
}

function requireObjectOfType(
  type: ResourceType,
  body: JsonValue,
  { isTypeRequired = false }: { isTypeRequired?: boolean } = {},
): JsonObject {
  if (!isJsonObject(body)) throw badRequestError("the request body must be a JSON object");
  const object = cloneJson(body);
  const expectedApiVersion = apiVersionOf(type);
  if (isTypeRequired && (object.apiVersion === undefined || object.kind === undefined)) {
    throw badRequestError("apiVersion and kind are required in an applied configuration");
  }
  if (object.apiVersion !== undefined && object.apiVersion !== expectedApiVersion) {
    throw badRequestError(
      `the API version in the data (${JSON.stringify(object.apiVersion)}) does not match the expected API version (${expectedApiVersion})`,
    );
  }
  if (object.kind !== undefined && object.kind !== type.kind) {
    throw badRequestError(
      `the kind in the data (${JSON.stringify(object.kind)}) does not match the expected kind (${type.kind})`,
    );
  }
  // Key order as the API server writes objects: type, metadata, then the rest.
  const { apiVersion: _apiVersion, kind: _kind, metadata, ...rest } = object;
  return {
    apiVersion: expectedApiVersion,
    kind: type.kind,
    metadata: isJsonObject(metadata) ? metadata : {},
    ...rest,
  };
}

function assignNamespace(
  type: ResourceType,
  metadata: JsonObject,
  namespace: string | undefined,
): void {
  if (!type.isNamespaced) {
    delete metadata.namespace;
    return;
  }
  if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
    throw badRequestError(
      "the namespace of the provided object does not match the namespace sent on the request",
    );
  }
  if (namespace !== undefined) metadata.namespace = namespace;
}

function requireMatchingIdentity(address: ResourceAddress, object: JsonObject): void {
  const name = readStringAt(object, ["metadata", "name"]);
  if (name !== undefined && name !== address.name) {
    throw badRequestError(
      `the name of the object (${name}) does not match the name on the URL (${address.name})`,
    );
  }
  const namespace = readStringAt(object, ["metadata", "namespace"]);
  if (address.type.isNamespaced && namespace !== undefined && namespace !== address.namespace) {
    throw badRequestError(
      "the namespace of the provided object does not match the namespace sent on the request",
    );
  }
}

function requireFreshResourceVersion(
  address: ResourceAddress,
  current: JsonObject,
  expected: string | undefined,
): void {
  if (expected === undefined || expected === "") return;
  if (expected !== readStringAt(current, ["metadata", "resourceVersion"])) {
    throw staleResourceVersionError(address.type, address.name);
  }
}

/**
 * Identity, system metadata, field ownership (unless apply just computed it)
 * and, for kinds with a status subresource, status come from the stored
 * object, never from the request.
 */
function restoreSystemFields(
  address: ResourceAddress,
  next: JsonObject,
  current: JsonObject | undefined,
  { hasComputedOwnership = false }: { hasComputedOwnership?: boolean } = {},
): void {
  const metadata = metadataOf(next);
  metadata.name = address.name;
  if (address.namespace === undefined) delete metadata.namespace;
  else metadata.namespace = address.namespace;
  const currentMetadata = current ? metadataOf(current) : {};
  for (const field of systemMetadataFields) {
    if (field === "managedFields" && (hasComputedOwnership || !current)) continue;
    const value = currentMetadata[field];
    if (value === undefined) delete metadata[field];
    else metadata[field] = cloneJson(value);
  }
  if (address.type.hasStatus) {
    const status = current?.status;
    if (status === undefined) delete next.status;
    else next.status = cloneJson(status);
  }
}

/** What the API server fills in on every write for some kinds. */
function applyTypeDefaults(type: ResourceType, object: JsonObject): void {
  if (type !== NAMESPACE_TYPE) return;
  const metadata = metadataOf(object);
  const name = typeof metadata.name === "string" ? metadata.name : "";
  metadata.labels = {
    ...(isJsonObject(metadata.labels) ? metadata.labels : {}),
    "kubernetes.io/metadata.name": name,
  };
  if (!isJsonObject(object.status)) object.status = { phase: "Active" };
}

function applyPatch(target: JsonObject, kind: PatchKind, patch: JsonValue): JsonValue {
  // Strategic merge patch needs per-field merge keys from the OpenAPI schema;
  // as JSON merge patch it behaves the same for maps and replaces lists.
  return kind === "json" ? applyJsonPatch(target, patch) : applyMergePatch(target, patch);
}

function toScale(object: JsonObject): JsonObject {
  const metadata = metadataOf(object);
  const scaleMetadata: JsonObject = {};
  for (const field of ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"]) {
    const value = metadata[field];
    if (value !== undefined) scaleMetadata[field] = value;
  }
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: scaleMetadata,
    spec: { replicas: readNumberAt(object, ["spec", "replicas"]) ?? 1 },
    status: {
      replicas: readNumberAt(object, ["status", "replicas"]) ?? 0,
      selector: formatLabelSelector(readObjectAt(object, ["spec", "selector"])),
    },
  };
}
