export { createInstitutionWithAdmin } from "./create-institution";
export {
  assertDomainsClaimable,
  describeDomainClaims,
  domainClaimProblems,
  emailDomainOf,
  emailDomainsField,
  lockDomainClaims,
  type DomainClaim,
} from "./domain-claims";
