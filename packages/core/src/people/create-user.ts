import type { DatabaseClient, User } from "@hubfed/db";
import { AppError } from "../errors";

/** A hub user name (SPEC §5): lowercase letters, digits and dashes, starting with a letter. */
export const usernamePattern = /^[a-z][a-z0-9-]{0,31}$/;
/** JupyterHub's limit we keep to; a base name leaves room for a `-N` suffix. */
const usernameMaxLength = 32;
const baseMaxLength = 24;

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
    .slice(0, baseMaxLength)
    .replace(/-+$/, "");
  return cleaned || "user";
}

type UsernameReader = Pick<DatabaseClient, "$queryRaw">;

/**
 * A name for each email that no row read here holds: `ana`, then `ana-2`, `ana-3`… Every name
 * a base can turn into is either the base itself or the base with a `-N` suffix, and the query
 * reads exactly those, so an address whose own local part ends in `-2` (base `ana-2`) sees an
 * existing `ana-2` and moves on to `ana-2-2`. Names handed out earlier in the same batch count as
 * taken too. This is only a good guess: someone else may insert the same name before we do, so
 * `createPeople` inserts with the unique constraint as the judge and asks again when it lost.
 */
async function proposeUsernames(
  db: UsernameReader,
  emails: string[],
): Promise<Map<string, string>> {
  const bases = emails.map((email) => usernameBaseFromEmail(email));
  const distinctBases = [...new Set(bases)];
  const taken = new Set(
    (
      await db.$queryRaw<Array<{ username: string }>>`
        SELECT username FROM "User"
        WHERE username = ANY(${distinctBases}::text[])
           OR regexp_replace(username, '-[0-9]+$', '') = ANY(${distinctBases}::text[])`
    ).map((row) => row.username),
  );
  const usernames = new Map<string, string>();
  emails.forEach((email, index) => {
    const base = bases[index] ?? "user";
    let username = base;
    for (let suffix = 2; taken.has(username); suffix += 1) username = `${base}-${suffix}`;
    if (username.length > usernameMaxLength)
      throw new AppError("INTERNAL", `No free username is left for "${base}"`);
    taken.add(username);
    usernames.set(email, username);
  });
  return usernames;
}

export interface NewPerson {
  email: string;
  name?: string | null;
  emailVerified?: Date;
}

export interface CreatedPeople {
  /** Every person asked for, by lowercased email: the existing user, or the one just created. */
  users: Map<string, User>;
  /** The lowercased emails of the users this call created. */
  created: Set<string>;
}

/** How often a person's insert may lose a race for their name before we give up. */
const maxAttempts = 8;

/**
 * The one way Hubfed creates people (sign-in, invitations, roster imports): each email not yet
 * known becomes a user with a unique, stable username; a known email is returned unchanged.
 *
 * The unique constraints decide, not an earlier read: names are proposed (proposeUsernames), then
 * inserted with ON CONFLICT DO NOTHING, which never aborts the caller's transaction (roster
 * imports and first sign-ins run in one). A row that did not go in lost a race, to someone
 * creating the same person (their user is returned) or to someone taking the same name (a new
 * name is proposed from what is committed now). Under PostgreSQL's read committed, an insert that
 * collides with another transaction's uncommitted row waits for it, so the next read sees it.
 */
export async function createPeople(
  db: Pick<DatabaseClient, "user" | "$queryRaw">,
  people: NewPerson[],
): Promise<CreatedPeople> {
  const pending = new Map<string, NewPerson>();
  for (const person of people) {
    const email = person.email.trim().toLowerCase();
    if (!pending.has(email)) pending.set(email, { ...person, email });
  }
  const users = new Map<string, User>();
  const created = new Set<string>();
  for (let attempt = 1; pending.size > 0; attempt += 1) {
    if (attempt > maxAttempts)
      throw new AppError(
        "CONFLICT",
        "Could not give every new person a free username while others were signing up: try again",
      );
    for (const user of await db.user.findMany({ where: { email: { in: [...pending.keys()] } } })) {
      users.set(user.email ?? "", user);
      pending.delete(user.email ?? "");
    }
    if (pending.size === 0) break;
    const usernames = await proposeUsernames(db, [...pending.keys()]);
    const inserted = await db.user.createManyAndReturn({
      data: [...pending.values()].map((person) => ({
        email: person.email,
        name: person.name ?? null,
        emailVerified: person.emailVerified ?? null,
        username: usernames.get(person.email) ?? "user",
      })),
      skipDuplicates: true,
    });
    for (const user of inserted) {
      users.set(user.email ?? "", user);
      created.add(user.email ?? "");
      pending.delete(user.email ?? "");
    }
  }
  return { users, created };
}

/**
 * Creates a person with a unique, stable username (see createPeople). Emails are stored
 * lowercased; an existing user with the same email is returned unchanged, so invitations and
 * first sign-ins can both call this safely.
 */
export async function findOrCreateUserByEmail(
  db: Pick<DatabaseClient, "user" | "$queryRaw">,
  person: NewPerson,
): Promise<User> {
  const email = person.email.trim().toLowerCase();
  const { users } = await createPeople(db, [{ ...person, email }]);
  const user = users.get(email);
  if (!user) throw new AppError("INTERNAL", `No user for ${email} after creating it`);
  return user;
}
