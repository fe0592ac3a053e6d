/**
 * A `next` or callback value reduced to a path on our own origin, or
 * undefined when it is anything else (JupyterHub's rules, REFERENCE §2):
 * backslashes, control characters and encoded slashes or backslashes are
 * attacks; `//host` and more slashes are other origins; absolute URLs are
 * accepted only on our own origin and reduced to their path.
 */
export function safeReturnPath(requested: string, portalOrigin: string): string | undefined {
  if (requested.length === 0 || requested.length > 2000) return undefined;
  if (
    requested.includes("\\") ||
    [...requested].some(
      (character) => character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f,
    )
  )
    return undefined;
  // Encoded “/”, “\” or controls would turn into the above after one decoding.
  if (/%(2f|5c|0[0-9a-f]|1[0-9a-f]|7f|25)/i.test(requested)) return undefined;
  let candidate = requested;
  if (!requested.startsWith("/")) {
    let parsed: URL;
    try {
      parsed = new URL(requested);
    } catch {
      return undefined;
    }
    if (parsed.origin !== new URL(portalOrigin).origin) return undefined;
    candidate = `${parsed.pathname}${parsed.search}`;
  }
  if (!candidate.startsWith("/") || candidate.startsWith("//")) return undefined;
  // The path must mean the same thing once resolved against our origin.
  const resolved = new URL(candidate, portalOrigin);
  if (resolved.origin !== new URL(portalOrigin).origin) return undefined;
  return `${resolved.pathname}${resolved.search}`;
}
