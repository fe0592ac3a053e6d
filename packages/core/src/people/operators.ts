import { recordAuditEvent, type DatabaseClient } from "@hubfed/db";
import { AppError } from "../errors";

/**
 * Makes a person a federation operator (`hubfed operators grant <email>`): how a new deployment
 * gets its first operator, who then configures institutions' sign-in on /ops/identity. Run by
 * whoever can reach the database (the deployment's operator), so it is not a portal action.
 * The person must have signed in once, with an email the provider verified.
 */
export async function grantOperator(
  db: DatabaseClient,
  email: string,
): Promise<{ username: string; wasOperator: boolean }> {
  const normalised = email.trim().toLowerCase();
  const user = await db.user.findFirst({
    where: { email: { equals: normalised, mode: "insensitive" }, emailVerified: { not: null } },
    select: { id: true, username: true, isOperator: true },
  });
  if (!user)
    throw new AppError(
      "NOT_FOUND",
      `no one with the verified email ${normalised} has signed in yet: sign in to the portal first, then run this again`,
    );
  if (user.isOperator) return { username: user.username, wasOperator: true };
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { isOperator: true } });
    await recordAuditEvent(tx, {
      actorId: null,
      action: "user.operator.grant",
      subjectType: "User",
      subjectId: user.id,
      details: { via: "hubfed operators grant" },
    });
  });
  return { username: user.username, wasOperator: false };
}

/** The federation's operators, for `hubfed operators list`. */
export async function listOperators(
  db: DatabaseClient,
): Promise<{ username: string; email: string | null }[]> {
  return db.user.findMany({
    where: { isOperator: true },
    select: { username: true, email: true },
    orderBy: { username: "asc" },
  });
}
