import type { DatabaseClient } from "@hubfed/db";

/**
 * Hub user names (SPEC §5): lowercase letters, digits and dashes, starting with a letter, at most
 * 32 characters. JupyterHub uses the name for the home directory and the server URL, and Hubfed
 * never changes it once assigned, so it is derived once from the email's local part.
 */
export function usernameBaseFromEmail(email: string): string {
  const localPart = email.split("@")[0] ?? "";
  const cleaned = localPart
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents, split off by NFKD
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "")
    .slice(0, 24)
    .replace(/-+$/, "");
  return cleaned || "user";
}

type UsernameReader = Pick<DatabaseClient, "$queryRaw">;

/**
 * A free username for each email, in one query: `ana`, then `ana-2`, `ana-3`… The names already
 * taken are read first rather than found by failed inserts, because a failed insert aborts the
 * caller's transaction (roster imports and first sign-ins both run in one).
 */
export async function allocateUsernames(
  db: UsernameReader,
  emails: string[],
): Promise<Map<string, string>> {
  const bases = emails.map((email) => usernameBaseFromEmail(email));
  const taken = new Set(
    (
      await db.$queryRaw<Array<{ username: string }>>`
        SELECT username FROM "User"
        WHERE regexp_replace(username, '-[0-9]+$', '') = ANY(${[...new Set(bases)]}::text[])`
    ).map((row) => row.username),
  );
  const usernames = new Map<string, string>();
  emails.forEach((email, index) => {
    const base = bases[index] ?? "user";
    let username = base;
    for (let suffix = 2; taken.has(username); suffix += 1) username = `${base}-${suffix}`;
    taken.add(username);
    usernames.set(email, username);
  });
  return usernames;
}

/**
 * Creates a person with a unique, stable username (see allocateUsernames). Emails are stored
 * lowercased; an existing user with the same email is returned unchanged, so invitations and
 * first sign-ins can both call this safely.
 */
export async function findOrCreateUserByEmail(
  db: Pick<DatabaseClient, "user" | "$queryRaw">,
  { email, name, emailVerified }: { email: string; name?: string | null; emailVerified?: Date },
) {
  const normalisedEmail = email.trim().toLowerCase();
  const existing = await db.user.findUnique({ where: { email: normalisedEmail } });
  if (existing) return existing;
  const username = (await allocateUsernames(db, [normalisedEmail])).get(normalisedEmail) ?? "user";
  return db.user.create({
    data: { email: normalisedEmail, name: name ?? null, username, emailVerified },
  });
}
