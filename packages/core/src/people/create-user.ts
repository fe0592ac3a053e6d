import { Prisma, type DatabaseClient } from "@hubfed/db";

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

function isUniqueViolationOn(error: unknown, field: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") {
    return false;
  }
  return JSON.stringify(error.meta ?? {}).includes(field);
}

type Writer = Pick<DatabaseClient, "user">;

/**
 * Creates a person with a unique, stable username (`ana`, then `ana-2`, `ana-3`…). Emails are
 * stored lowercased; an existing user with the same email is returned unchanged, so roster
 * imports and first sign-ins can both call this safely.
 */
export async function findOrCreateUserByEmail(
  db: Writer,
  { email, name, emailVerified }: { email: string; name?: string | null; emailVerified?: Date },
) {
  const normalisedEmail = email.trim().toLowerCase();
  const existing = await db.user.findUnique({ where: { email: normalisedEmail } });
  if (existing) return existing;
  const base = usernameBaseFromEmail(normalisedEmail);
  for (let attempt = 1; attempt <= 50; attempt += 1) {
    const username = attempt === 1 ? base : `${base}-${attempt}`;
    try {
      return await db.user.create({
        data: { email: normalisedEmail, name: name ?? null, username, emailVerified },
      });
    } catch (error) {
      // Another person already has this username: try the next suffix. A concurrent creation
      // of the same email is the same person: return theirs.
      if (isUniqueViolationOn(error, "email")) {
        const raced = await db.user.findUnique({ where: { email: normalisedEmail } });
        if (raced) return raced;
      }
      if (!isUniqueViolationOn(error, "username")) throw error;
    }
  }
  throw new Error(`No free username for ${base} after 50 attempts`);
}
