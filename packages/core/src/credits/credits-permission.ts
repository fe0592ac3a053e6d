import { can, type Actor } from "@hubfed/auth/permissions";
import { AppError } from "../errors";

/** Pools, allocations and every money movement between them are the operators' (credits.manage). */
export function assertCanManageCredits(actor: Actor): void {
  if (!can(actor, "credits.manage"))
    throw new AppError("FORBIDDEN", "Only federation operators manage credits");
}
