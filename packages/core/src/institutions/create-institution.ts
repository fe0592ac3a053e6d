import type { Institution, Transaction } from "@hubfed/db";
import { slugify, uniqueSlug } from "../slugs";

/** A new institution's name, the email domains it signs in with, and whom to contact. */
export interface InstitutionDetails {
  name: string;
  emailDomains: string[];
  contacts: Array<{ name: string; email: string; role: string }>;
}

/**
 * A new institution from an approved request's institution section, with
 * the requester as its first admin.
 */
export async function createInstitutionWithAdmin(
  tx: Transaction,
  institution: InstitutionDetails,
  adminUserId: string,
): Promise<Institution> {
  const slug = await uniqueSlug(
    async (candidate) => (await tx.institution.count({ where: { slug: candidate } })) > 0,
    slugify(institution.name),
  );
  const created = await tx.institution.create({
    data: {
      slug,
      name: institution.name,
      emailDomains: institution.emailDomains,
      contacts: { create: institution.contacts },
    },
  });
  await tx.institutionMembership.create({
    data: { userId: adminUserId, institutionId: created.id, role: "ADMIN" },
  });
  return created;
}
