// Slugs name institutions, courses and hubs in URLs, namespaces and DNS
// labels: lowercase ASCII, dashes, at most 40 characters.

/** Lowercase letters, digits and single dashes; accents folded, at most 40 characters. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

/** `base`, or `base-2`, `base-3`, … : the first that `taken` says is free. */
export async function uniqueSlug(
  taken: (slug: string) => Promise<boolean>,
  base: string,
): Promise<string> {
  const root = base || "hub";
  for (let suffix = 1; ; suffix += 1) {
    const candidate = suffix === 1 ? root : `${root}-${suffix}`;
    if (!(await taken(candidate))) return candidate;
  }
}
