// The long tables (fleet, audit log, roster) keep their filters, sort and page in the
// address, so a view can be bookmarked, shared and exported as it is seen.

export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of each parameter, without empty ones (an unset filter). */
export function firstValues(params: SearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first.trim() !== "") values[name] = first;
  }
  return values;
}

/** `path` with `params` as its query, after `changes` (undefined removes a parameter). */
export function hrefWith(
  path: string,
  params: Record<string, string>,
  changes: Record<string, string | undefined> = {},
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...params, ...changes }))
    if (value !== undefined && value !== "") query.set(name, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

interface QuerySchema<Output> {
  safeParse(input: unknown):
    | { success: true; data: Output }
    | {
        success: false;
        error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> };
      };
}

/**
 * The table's query from the address: a malformed parameter is dropped (the
 * table still shows, without that filter) and its message is kept for the
 * field that holds it.
 */
export function parseTableQuery<Output>(
  schema: QuerySchema<Output>,
  params: Record<string, string>,
): { query: Output; fieldErrors: Record<string, string[]>; params: Record<string, string> } {
  const first = schema.safeParse(params);
  if (first.success) return { query: first.data, fieldErrors: {}, params };
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of first.error.issues)
    (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  const kept = Object.fromEntries(
    Object.entries(params).filter(([name]) => !(name in fieldErrors)),
  );
  const second = schema.safeParse(kept);
  if (second.success) return { query: second.data, fieldErrors, params: kept };
  const fallback = schema.safeParse({});
  if (!fallback.success) throw new Error("A table's query schema must accept no parameters");
  return { query: fallback.data, fieldErrors, params: {} };
}
