/**
 * Whether a caller-supplied return target (a `callbackUrl`, a `next`) is a
 * path on our own origin, and which one: the one rule every redirect to a
 * caller-supplied value goes through (sign-in, join, the OIDC provider's
 * pages). Undefined when it is anything else.
 *
 * The check runs on what the browser will do, not on the text: the target is
 * resolved and normalised by the URL parser first (dot segments, repeated
 * slashes, a full URL on our origin), and the path that comes out must still
 * start with exactly one "/". A value like "/.//evil.example" reads as a
 * path but normalises to "//evil.example", which a browser treats as another
 * site; it is refused here. Backslashes, control characters and encoded
 * slashes, backslashes, controls or percent signs are refused before parsing
 * (browsers and proxies decode and fold them differently; REFERENCE §2).
 */
export function sameOriginPath(requested: string, origin: string): string | undefined {
  if (requested.length === 0 || requested.length > 2000) return undefined;
  if (requested.includes("\\") || hasControlCharacter(requested)) return undefined;
  if (/%(2f|5c|0[0-9a-f]|1[0-9a-f]|7f|25)/i.test(requested)) return undefined;
  const base = new URL(origin);
  // A path, or a full http(s) URL on our origin; nothing relative to the current page.
  if (!requested.startsWith("/") && !/^https?:\/\//i.test(requested)) return undefined;
  let resolved: URL;
  try {
    resolved = new URL(requested, base);
  } catch {
    return undefined;
  }
  if (resolved.origin !== base.origin) return undefined;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  if (!path.startsWith("/") || path.startsWith("//")) return undefined;
  // And once more as the browser will read the path we hand back.
  if (new URL(path, base).origin !== base.origin) return undefined;
  return path;
}

function hasControlCharacter(value: string): boolean {
  return [...value].some((character) => {
    const code = character.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });
}
