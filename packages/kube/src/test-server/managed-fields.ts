import {
  cloneJson,
  isJsonEqual,
  isJsonObject,
  readPath,
  type JsonObject,
  type JsonValue,
} from "../json";

/**
 * Field ownership for server-side apply, kept in `metadata.managedFields` as
 * the API server does (one entry per manager and operation, FieldsV1 sets).
 *
 * Simplifications against structured-merge-diff, stated so nobody relies on
 * them: there are no schemas, so every list is atomic (owned and replaced
 * whole, as for a CRD's untyped lists) rather than merged by key; an empty
 * object is a leaf (so `podSelector: {}` is owned); `null` in an applied
 * configuration means "not set"; `.status` and the object's identity and
 * system metadata are never tracked.
 */
export type FieldPath = readonly string[];
type FieldSet = Map<string, FieldPath>;

export interface FieldConflict {
  manager: string;
  /** e.g. `.spec.replicas`, `.metadata.labels["app.kubernetes.io/name"]` */
  field: string;
}

interface DecodedEntry {
  manager: string;
  operation: string;
  subresource: string | undefined;
  fields: FieldSet;
  original: JsonObject;
  isChanged: boolean;
}

const untrackedTopLevelFields = new Set(["apiVersion", "kind", "status"]);
const untrackedMetadataFields = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
]);

function fieldKey(path: FieldPath): string {
  return JSON.stringify(path);
}

function pathsOverlap(left: FieldPath, right: FieldPath): boolean {
  const shorter = Math.min(left.length, right.length);
  for (let index = 0; index < shorter; index += 1) {
    if (left[index] !== right[index]) return false;
  }
  return true;
}

export function formatFieldPath(path: FieldPath): string {
  return path
    .map((segment) =>
      /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`,
    )
    .join("");
}

/** The leaves of an object that field ownership is about: path → value. */
export function collectFieldLeaves(
  object: JsonObject,
): Map<string, { path: FieldPath; value: JsonValue }> {
  const leaves = new Map<string, { path: FieldPath; value: JsonValue }>();
  const visit = (node: JsonValue, path: string[]): void => {
    if (isJsonObject(node) && Object.keys(node).length > 0) {
      for (const [key, child] of Object.entries(node)) {
        if (child === null) continue;
        if (path.length === 0 && untrackedTopLevelFields.has(key)) continue;
        if (path.length === 1 && path[0] === "metadata" && untrackedMetadataFields.has(key))
          continue;
        visit(child, [...path, key]);
      }
      return;
    }
    if (path.length > 0) leaves.set(fieldKey(path), { path, value: node });
  };
  visit(object, []);
  return leaves;
}

/** FieldsV1: nested `f:<key>` maps; `.` marks a path owned itself when it also has owned children. */
export function encodeFieldsV1(paths: Iterable<FieldPath>): JsonObject {
  const root: JsonObject = {};
  const all = [...paths];
  for (const path of all) {
    let node = root;
    for (const segment of path) {
      const key = `f:${segment}`;
      const child = node[key];
      const next = isJsonObject(child) ? child : {};
      node[key] = next;
      node = next;
    }
  }
  for (const path of all) {
    const node = readPath(
      root,
      path.map((segment) => `f:${segment}`),
    );
    if (isJsonObject(node) && Object.keys(node).some((key) => key !== ".")) node["."] = {};
  }
  return root;
}

export function decodeFieldsV1(fields: JsonValue | undefined): FieldPath[] {
  const paths: FieldPath[] = [];
  const visit = (node: JsonObject, path: string[]): void => {
    const childKeys = Object.keys(node).filter((key) => key !== ".");
    if (path.length > 0 && (childKeys.length === 0 || "." in node)) paths.push(path);
    for (const key of childKeys) {
      const child = node[key];
      const segment = key.startsWith("f:") ? key.slice(2) : key;
      visit(isJsonObject(child) ? child : {}, [...path, segment]);
    }
  };
  if (isJsonObject(fields)) visit(fields, []);
  return paths;
}

function decodeManagedFields(object: JsonObject): DecodedEntry[] {
  const entries = readPath(object, ["metadata", "managedFields"]);
  if (!Array.isArray(entries)) return [];
  return entries.filter(isJsonObject).map((entry) => ({
    manager: typeof entry.manager === "string" ? entry.manager : "",
    operation: typeof entry.operation === "string" ? entry.operation : "Update",
    subresource: typeof entry.subresource === "string" ? entry.subresource : undefined,
    fields: new Map(decodeFieldsV1(entry.fieldsV1).map((path) => [fieldKey(path), path])),
    original: entry,
    isChanged: false,
  }));
}

function encodeManagedFields(
  entries: DecodedEntry[],
  apiVersion: string,
  now: string,
): JsonObject[] {
  return entries
    .filter((entry) => entry.fields.size > 0)
    .map((entry) => {
      if (!entry.isChanged) return entry.original;
      const encoded: JsonObject = {
        manager: entry.manager,
        operation: entry.operation,
        apiVersion,
        time: now,
        fieldsType: "FieldsV1",
        fieldsV1: encodeFieldsV1(entry.fields.values()),
      };
      if (entry.subresource !== undefined) encoded.subresource = entry.subresource;
      return encoded;
    });
}

function storeManagedFields(object: JsonObject, entries: JsonObject[]): void {
  const metadata = isJsonObject(object.metadata) ? object.metadata : {};
  object.metadata = metadata;
  if (entries.length > 0) metadata.managedFields = entries;
  else delete metadata.managedFields;
}

function writeFieldAt(document: JsonObject, path: FieldPath, value: JsonValue): void {
  let node = document;
  path.forEach((segment, index) => {
    if (index === path.length - 1) {
      node[segment] = cloneJson(value);
      return;
    }
    const child = node[segment];
    const next = isJsonObject(child) ? child : {};
    node[segment] = next;
    node = next;
  });
}

/** Removes a field and then the objects it leaves empty, unless someone owns them. */
function removeFieldAt(
  document: JsonObject,
  path: FieldPath,
  isOwned: (path: FieldPath) => boolean,
) {
  for (let length = path.length; length >= 1; length -= 1) {
    const parent = length === 1 ? document : readPath(document, path.slice(0, length - 1));
    const key = path[length - 1] ?? "";
    if (!isJsonObject(parent) || !(key in parent)) return;
    const node = parent[key];
    const isTarget = length === path.length;
    if (!isTarget) {
      const isPrunable =
        isJsonObject(node) &&
        Object.keys(node).length === 0 &&
        !isOwned(path.slice(0, length)) &&
        !(length === 1 && key === "metadata");
      if (!isPrunable) return;
    }
    delete parent[key];
  }
}

/** An applied value is already in place: equal, or `{}` over an object (owning a map does not clear it). */
function isLeafSatisfied(current: JsonValue | undefined, applied: JsonValue): boolean {
  if (isJsonObject(applied) && Object.keys(applied).length === 0 && isJsonObject(current))
    return true;
  return isJsonEqual(current, applied);
}

export interface ServerSideApplyInput {
  /** The stored object, or the bare identity (apiVersion, kind, name, namespace) when creating. */
  base: JsonObject;
  applied: JsonObject;
  manager: string;
  isForced: boolean;
  now: string;
}

export type ServerSideApplyOutcome =
  { isConflict: false; object: JsonObject } | { isConflict: true; conflicts: FieldConflict[] };

/**
 * Merges an applied configuration into an object the way server-side apply
 * does: the manager comes to own exactly the fields it applied; a field
 * another manager owns with a different value is a conflict unless forced
 * (then ownership moves); fields the manager applied before and no longer
 * applies are removed when nobody else owns them.
 */
export function computeServerSideApply(input: ServerSideApplyInput): ServerSideApplyOutcome {
  const object = cloneJson(input.base);
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  const entries = decodeManagedFields(object);
  const ownEntry = entries.find(
    (entry) =>
      entry.manager === input.manager &&
      entry.operation === "Apply" &&
      entry.subresource === undefined,
  );
  const otherEntries = entries.filter((entry) => entry !== ownEntry);
  const appliedLeaves = collectFieldLeaves(input.applied);

  const conflicts = new Map<string, { entry: DecodedEntry; path: FieldPath }>();
  for (const { path, value } of appliedLeaves.values()) {
    if (isLeafSatisfied(readPath(object, path), value)) continue;
    for (const entry of otherEntries) {
      for (const owned of entry.fields.values()) {
        if (pathsOverlap(owned, path)) {
          conflicts.set(`${entry.manager}\u0000${fieldKey(owned)}`, { entry, path: owned });
        }
      }
    }
  }
  if (conflicts.size > 0 && !input.isForced) {
    return {
      isConflict: true,
      conflicts: [...conflicts.values()].map(({ entry, path }) => ({
        manager: entry.manager,
        field: formatFieldPath(path),
      })),
    };
  }
  for (const { entry, path } of conflicts.values()) {
    entry.fields.delete(fieldKey(path));
    entry.isChanged = true;
  }

  const appliedFields: FieldSet = new Map([...appliedLeaves].map(([key, { path }]) => [key, path]));
  const isOwnedByOthers = (path: FieldPath) =>
    otherEntries.some((entry) =>
      [...entry.fields.values()].some((owned) => pathsOverlap(owned, path)),
    );
  const isOwnedExactly = (path: FieldPath) =>
    appliedFields.has(fieldKey(path)) ||
    otherEntries.some((entry) => entry.fields.has(fieldKey(path)));

  for (const [key, path] of ownEntry?.fields ?? []) {
    if (!appliedFields.has(key) && !isOwnedByOthers(path))
      removeFieldAt(object, path, isOwnedExactly);
  }
  for (const { path, value } of appliedLeaves.values()) {
    const current = readPath(object, path);
    if (isJsonObject(value) && Object.keys(value).length === 0 && isJsonObject(current)) continue;
    writeFieldAt(object, path, value);
  }

  const isSameOwnership =
    ownEntry !== undefined &&
    ownEntry.fields.size === appliedFields.size &&
    [...appliedFields.keys()].every((key) => ownEntry.fields.has(key));
  const nextOwnEntry: DecodedEntry =
    ownEntry && isSameOwnership
      ? ownEntry
      : {
          manager: input.manager,
          operation: "Apply",
          subresource: undefined,
          fields: appliedFields,
          original: {},
          isChanged: true,
        };
  const nextEntries = ownEntry
    ? entries.map((entry) => (entry === ownEntry ? nextOwnEntry : entry))
    : [...entries, nextOwnEntry];
  storeManagedFields(object, encodeManagedFields(nextEntries, apiVersion, input.now));
  return { isConflict: false, object };
}

export interface UpdateOwnershipInput {
  previous: JsonObject | null;
  next: JsonObject;
  manager: string;
  now: string;
}

/**
 * Records a non-apply write (create, replace, merge/JSON patch) the way the
 * API server does: the writer's Update entry gains the fields whose values it
 * changed, other managers lose those fields (updates always win), and fields
 * that no longer exist are owned by nobody. Mutates `next`.
 */
export function recordUpdateOwnership(input: UpdateOwnershipInput): void {
  const { previous, next } = input;
  const apiVersion = typeof next.apiVersion === "string" ? next.apiVersion : "";
  const entries = previous ? decodeManagedFields(previous) : [];
  const before = previous ? collectFieldLeaves(previous) : new Map<string, { value: JsonValue }>();
  const changed = [...collectFieldLeaves(next)]
    .filter(([key, { value }]) => !isJsonEqual(before.get(key)?.value, value))
    .map(([, { path }]) => path);

  let updaterEntry = entries.find(
    (entry) =>
      entry.manager === input.manager &&
      entry.operation === "Update" &&
      entry.subresource === undefined,
  );
  for (const entry of entries) {
    for (const [key, path] of entry.fields) {
      const isGone = readPath(next, path) === undefined;
      const isTaken =
        entry !== updaterEntry && changed.some((changedPath) => pathsOverlap(changedPath, path));
      if (isGone || isTaken) {
        entry.fields.delete(key);
        entry.isChanged = true;
      }
    }
  }
  if (changed.length > 0) {
    if (!updaterEntry) {
      updaterEntry = {
        manager: input.manager,
        operation: "Update",
        subresource: undefined,
        fields: new Map(),
        original: {},
        isChanged: true,
      };
      entries.push(updaterEntry);
    }
    for (const path of changed) updaterEntry.fields.set(fieldKey(path), path);
    updaterEntry.isChanged = true;
  }
  storeManagedFields(next, encodeManagedFields(entries, apiVersion, input.now));
}
