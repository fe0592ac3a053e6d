import { hubRequestDraftSchema, type HubRequestDraft } from "./form";

// Saving a request draft as it is typed, without ever losing what was saved.
//
// The form autosaves what is valid. A value the draft schema refuses (0
// students, a contact row with no name yet) is not saved, but it must not
// erase the value saved before it either: the client names the paths it
// withheld, and the server keeps its stored value at each of them. A path
// that is neither sent nor withheld was cleared by the person, and is cleared.
//
// Rows of a list are saved as a whole list: a withheld path inside a list
// withholds the list, so a half-typed contact keeps the saved contacts.

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "institution.contacts.1.name" → "institution.contacts": lists are saved whole. */
export function withheldPathOf(issuePath: ReadonlyArray<PropertyKey>): string {
  const keys: string[] = [];
  for (const key of issuePath) {
    if (typeof key === "number" || /^\d+$/.test(String(key))) break;
    keys.push(String(key));
  }
  return keys.join(".");
}

function readPath(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split(".")) node = isRecord(node) ? node[key] : undefined;
  return node;
}

function withPath(root: JsonRecord, path: string, value: unknown): JsonRecord {
  const [head, ...rest] = path.split(".") as [string, ...string[]];
  const copy: JsonRecord = { ...root };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const existing = copy[head];
  const child = isRecord(existing) ? existing : {};
  const next = withPath(child, rest.join("."), value);
  if (Object.keys(next).length === 0) delete copy[head];
  else copy[head] = next;
  return copy;
}

export interface SavableDraft {
  /** What the draft schema accepts: this is what is saved. */
  draft: HubRequestDraft;
  /** Paths left out because their value is not valid yet; the stored value stays at each. */
  withheldPaths: string[];
}

/**
 * Splits what a person typed into what can be saved and what must wait. It
 * never gives up on the whole draft: an issue it cannot place withholds its
 * section, and the other sections are still saved.
 */
export function splitSavableDraft(typed: unknown): SavableDraft {
  let candidate: JsonRecord = isRecord(typed) ? typed : {};
  const withheld = new Set<string>();
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const result = hubRequestDraftSchema.safeParse(candidate);
    if (result.success) return { draft: result.data, withheldPaths: [...withheld].sort() };
    for (const issue of result.error.issues) {
      // An issue at the root (a section of the wrong type) withholds that section.
      const path = withheldPathOf(issue.path) || String(issue.path[0] ?? "");
      if (!path) return { draft: {}, withheldPaths: [...withheld].sort() };
      withheld.add(path);
      candidate = withPath(candidate, path, undefined);
    }
  }
  return { draft: {}, withheldPaths: [...withheld].sort() };
}

/**
 * The draft to store: what was received, with the stored value kept at every
 * withheld path. Only paths that name a field or a list of the form are
 * honoured, so a client cannot graft anything else into the stored form.
 */
export function keepWithheldValues(
  received: HubRequestDraft,
  stored: unknown,
  withheldPaths: readonly string[],
): HubRequestDraft {
  let merged: JsonRecord = { ...received };
  for (const path of withheldPaths) {
    const kept = readPath(stored, path);
    if (kept === undefined) continue;
    const candidate = withPath(merged, path, kept);
    // A stored value that no longer fits (the schema moved on) is dropped, not kept.
    if (hubRequestDraftSchema.safeParse(candidate).success) merged = candidate;
  }
  return hubRequestDraftSchema.parse(merged);
}
