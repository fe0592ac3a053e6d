// Reading and writing a nested draft by dotted path ("schedule.meetings.0.label").

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === "object" && value !== null;
}

export function readPath(root: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (node, key) => (isContainer(node) ? (node as Record<string, unknown>)[key] : undefined),
      root,
    );
}

/** A copy of `root` with `value` at `path` (undefined removes the key; array elements stay in place). */
export function writePath<T>(root: T, path: string, value: unknown): T {
  const keys = path.split(".");
  const copy = structuredClone(root ?? {}) as Container;
  let node: Container = copy;
  keys.slice(0, -1).forEach((key, index) => {
    const next = (node as Record<string, unknown>)[key];
    if (!isContainer(next))
      (node as Record<string, unknown>)[key] = /^\d+$/.test(keys[index + 1] ?? "") ? [] : {};
    node = (node as Record<string, unknown>)[key] as Container;
  });
  const last = keys[keys.length - 1] ?? "";
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else (node as Record<string, unknown>)[last] = value;
  return copy as T;
}

/** A copy of `root` without the value at `path` (an array element is removed, shifting the rest). */
export function removePath<T>(root: T, path: string): T {
  const keys = path.split(".");
  const parentPath = keys.slice(0, -1).join(".");
  const last = keys[keys.length - 1] ?? "";
  const parent = parentPath ? readPath(root, parentPath) : root;
  if (Array.isArray(parent))
    return writePath(
      root,
      parentPath,
      parent.filter((_, index) => String(index) !== last),
    );
  return writePath(root, path, undefined);
}
