import type { DatabaseClient, Transaction } from "@hubfed/db";
import { AppError } from "../errors";

/**
 * Email domains a new institution claims (the hardening issue, item 2). An approved request's
 * domains become the new institution's, and everyone who later signs in or asks for a hub from
 * those domains lands under it, with the requester as its admin. So a requester may claim only
 * the domain of their own verified sign-in email, and never a domain another institution holds.
 */

/** The form field the problems are reported on. */
export const emailDomainsField = "institution.emailDomains";

export interface DomainClaim {
  domain: string;
  /** The domain of the requester's verified sign-in email. */
  isRequesterDomain: boolean;
  /** The institution that already holds the domain, if one does. */
  claimedBy: { slug: string; name: string } | null;
}

export function emailDomainOf(email: string): string {
  return email
    .slice(email.lastIndexOf("@") + 1)
    .trim()
    .toLowerCase();
}

/** The requester's verified sign-in domain: null when their email is unknown or unverified. */
async function verifiedDomainOf(
  db: DatabaseClient | Transaction,
  requesterId: string,
): Promise<string | null> {
  const user = await db.user.findUnique({
    where: { id: requesterId },
    select: { email: true, emailVerified: true },
  });
  return user?.email && user.emailVerified ? emailDomainOf(user.email) : null;
}

/** Each domain with whether it is the requester's own and who holds it already. */
export async function describeDomainClaims(
  db: DatabaseClient | Transaction,
  { requesterId, domains }: { requesterId: string; domains: readonly string[] },
): Promise<DomainClaim[]> {
  const wanted = [...new Set(domains.map((domain) => domain.trim().toLowerCase()))];
  const ownDomain = await verifiedDomainOf(db, requesterId);
  const holders = await db.institution.findMany({
    where: { emailDomains: { hasSome: wanted } },
    select: { slug: true, name: true, emailDomains: true },
  });
  return wanted.map((domain) => {
    const holder = holders.find((institution) =>
      institution.emailDomains.some((held) => held.toLowerCase() === domain),
    );
    return {
      domain,
      isRequesterDomain: domain === ownDomain,
      claimedBy: holder ? { slug: holder.slug, name: holder.name } : null,
    };
  });
}

/** Why each refused domain is refused, in words for the requester and ops. */
export function domainClaimProblems(claims: readonly DomainClaim[]): string[] {
  return claims.flatMap((claim) => [
    ...(claim.isRequesterDomain
      ? []
      : [`${claim.domain} is not the domain of your verified sign-in email: claim only your own`]),
    ...(claim.claimedBy ? [`${claim.domain} already belongs to ${claim.claimedBy.name}`] : []),
  ]);
}

/**
 * Refuses domains the requester may not claim, with the problems on the form's domains field.
 * Used at submission and again at approval (a domain may be claimed in between).
 */
export async function assertDomainsClaimable(
  db: DatabaseClient | Transaction,
  input: { requesterId: string; domains: readonly string[] },
): Promise<DomainClaim[]> {
  const claims = await describeDomainClaims(db, input);
  const problems = domainClaimProblems(claims);
  if (claims.length === 0) problems.push("add the domain of your sign-in email");
  if (problems.length > 0)
    throw new AppError("BAD_REQUEST", "These email domains cannot be claimed", {
      [emailDomainsField]: problems,
    });
  return claims;
}

/**
 * The same check inside the transaction that creates the institution, holding a lock per domain
 * until it commits: two approvals claiming one domain at once cannot both pass.
 */
export async function lockDomainClaims(
  tx: Transaction,
  input: { requesterId: string; domains: readonly string[] },
): Promise<DomainClaim[]> {
  const domains = [...new Set(input.domains.map((domain) => domain.trim().toLowerCase()))].sort();
  for (const domain of domains)
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`institution-domain:${domain}`}))`;
  return assertDomainsClaimable(tx, { requesterId: input.requesterId, domains });
}
