import { can, type Actor } from "@hubfed/auth/permissions";
import type { HubRequest } from "@hubfed/db";
import { AppError } from "../errors";

/**
 * Who may see a request: its requester, admins of its institution, and ops
 * (SPEC §1: requesters see only their institution's requests).
 */
export function canViewRequest(
  actor: Actor,
  request: Pick<HubRequest, "requesterId" | "institutionId">,
): boolean {
  if (request.requesterId === actor.userId) return true;
  return (
    can(
      actor,
      "request.read",
      request.institutionId ? { institutionId: request.institutionId } : {},
    ) &&
    (actor.isOperator || request.institutionId !== null)
  );
}

export function assertCanViewRequest(
  actor: Actor,
  request: Pick<HubRequest, "requesterId" | "institutionId">,
): void {
  // Not FORBIDDEN: a request one may not see is, for that person, not there.
  if (!canViewRequest(actor, request)) throw new AppError("NOT_FOUND", "Request not found");
}

/** Only the requester edits, submits, withdraws and answers their request. */
export function assertIsRequester(actor: Actor, request: Pick<HubRequest, "requesterId">): void {
  if (request.requesterId !== actor.userId)
    throw new AppError("FORBIDDEN", "Only the requester can do this");
}

export function assertCanReview(actor: Actor): void {
  if (!can(actor, "request.review"))
    throw new AppError("FORBIDDEN", "Only federation operators review requests");
}
