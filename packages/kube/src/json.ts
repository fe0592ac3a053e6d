/**
 * JSON values as Kubernetes objects are stored and compared: plain data, no
 * `undefined`, no class instances. Shared by the manifest builders and the
 * test server so both agree on what "equal" and "changed" mean.
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A path into a JSON document: object keys and array indexes. */
export type JsonPath = ReadonlyArray<string | number>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Copies a value through JSON, dropping `undefined` and turning dates into strings. */
export function toJsonValue(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

export function toJsonObject(value: unknown): JsonObject {
  const json = toJsonValue(value);
  if (!isJsonObject(json)) throw new TypeError("expected a JSON object");
  return json;
}

export function cloneJson<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

/** Structural equality; object key order does not matter, array order does. */
export function isJsonEqual(left: JsonValue | undefined, right: JsonValue | undefined): boolean {
  if (left === right) return true;
  if (left === undefined || right === undefined || left === null || right === null) return false;
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    return left.every((item, index) => isJsonEqual(item, right[index]));
  }
  if (isJsonObject(left) && isJsonObject(right)) {
    const leftKeys = Object.keys(left);
    if (leftKeys.length !== Object.keys(right).length) return false;
    return leftKeys.every((key) => key in right && isJsonEqual(left[key], right[key]));
  }
  return false;
}

export function readPath(document: JsonValue | undefined, path: JsonPath): JsonValue | undefined {
  let node = document;
  for (const segment of path) {
    if (typeof segment === "number") {
      if (!Array.isArray(node)) return undefined;
      node = node[segment];
    } else {
      if (!isJsonObject(node)) return undefined;
      node = node[segment];
    }
  }
  return node;
}

export function readObjectAt(
  document: JsonValue | undefined,
  path: JsonPath,
): JsonObject | undefined {
  const value = readPath(document, path);
  return isJsonObject(value) ? value : undefined;
}

export function readStringAt(document: JsonValue | undefined, path: JsonPath): string | undefined {
  const value = readPath(document, path);
  return typeof value === "string" ? value : undefined;
}

export function readNumberAt(document: JsonValue | undefined, path: JsonPath): number | undefined {
  const value = readPath(document, path);
  return typeof value === "number" ? value : undefined;
}

/**
 * Lists the paths where two documents differ, descending into objects only
 * (arrays compare whole), e.g. `spec.values.singleuser.memory.guarantee`.
 * Used by tests to assert exactly which fields a change touched.
 */
export function listChangedPaths(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  prefix = "",
): string[] {
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) =>
      listChangedPaths(before[key], after[key], prefix === "" ? key : `${prefix}.${key}`),
    );
  }
  return isJsonEqual(before, after) ? [] : [prefix];
}
