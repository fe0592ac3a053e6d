import { cloneJson, isJsonEqual, isJsonObject, type JsonObject, type JsonValue } from "../json";
import { KubernetesApiError, badRequestError } from "./api-errors";

/** JSON merge patch (RFC 7386): objects merge recursively, `null` deletes, anything else replaces. */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const result: JsonObject = isJsonObject(target) ? cloneJson(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/**
 * JSON patch (RFC 6902). The generated typed clients send this content type by
 * default for their patch methods, so the test server has to understand it.
 */
export function applyJsonPatch(target: JsonValue, operations: JsonValue): JsonValue {
  if (!Array.isArray(operations)) throw badRequestError("a JSON patch must be an array");
  let document = cloneJson(target);
  for (const operation of operations) {
    if (!isJsonObject(operation) || typeof operation.op !== "string") {
      throw badRequestError("every JSON patch operation needs an op");
    }
    const path = parsePointer(operation.path);
    switch (operation.op) {
      case "add":
        document = addAt(document, path, requireValue(operation));
        break;
      case "remove":
        document = removeAt(document, path);
        break;
      case "replace":
        document = addAt(removeAt(document, path), path, requireValue(operation));
        break;
      case "move": {
        const from = parsePointer(operation.from);
        const value = valueAt(document, from);
        document = addAt(removeAt(document, from), path, value);
        break;
      }
      case "copy":
        document = addAt(
          document,
          path,
          cloneJson(valueAt(document, parsePointer(operation.from))),
        );
        break;
      case "test":
        if (!isJsonEqual(valueAt(document, path), requireValue(operation))) {
          throw new KubernetesApiError(
            422,
            "Invalid",
            `JSON patch test failed at ${JSON.stringify(operation.path)}`,
          );
        }
        break;
      default:
        throw badRequestError(`unknown JSON patch op "${operation.op}"`);
    }
  }
  return document;
}

function requireValue(operation: JsonObject): JsonValue {
  const value = operation.value;
  if (value === undefined)
    throw badRequestError(`JSON patch op ${JSON.stringify(operation.op)} needs a value`);
  return value;
}

function parsePointer(pointer: JsonValue | undefined): string[] {
  if (typeof pointer !== "string" || (pointer !== "" && !pointer.startsWith("/"))) {
    throw badRequestError(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  }
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function valueAt(document: JsonValue, path: string[]): JsonValue {
  let node: JsonValue | undefined = document;
  for (const token of path) {
    node = Array.isArray(node) ? node[Number(token)] : isJsonObject(node) ? node[token] : undefined;
    if (node === undefined) throw missingPathError(path);
  }
  return node;
}

function missingPathError(path: string[]): KubernetesApiError {
  return new KubernetesApiError(
    422,
    "Invalid",
    `JSON patch path /${path.join("/")} does not exist`,
  );
}

function addAt(document: JsonValue, path: string[], value: JsonValue): JsonValue {
  if (path.length === 0) return value;
  const parent = valueAt(document, path.slice(0, -1));
  const token = path[path.length - 1] ?? "";
  if (Array.isArray(parent)) {
    const index = token === "-" ? parent.length : Number(token);
    if (!Number.isInteger(index) || index < 0 || index > parent.length)
      throw missingPathError(path);
    parent.splice(index, 0, value);
  } else if (isJsonObject(parent)) {
    parent[token] = value;
  } else {
    throw missingPathError(path);
  }
  return document;
}

function removeAt(document: JsonValue, path: string[]): JsonValue {
  if (path.length === 0) return null;
  const parent = valueAt(document, path.slice(0, -1));
  const token = path[path.length - 1] ?? "";
  if (Array.isArray(parent)) {
    const index = Number(token);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length)
      throw missingPathError(path);
    parent.splice(index, 1);
  } else if (isJsonObject(parent) && token in parent) {
    delete parent[token];
  } else {
    throw missingPathError(path);
  }
  return document;
}
