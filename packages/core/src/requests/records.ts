import type { Actor } from "@hubfed/auth/permissions";
import {
  type DatabaseClient,
  type HubRequest,
  type HubRequestStatus,
  type Prisma,
  type Transaction,
  recordAuditEvent,
} from "@hubfed/db";
import { AppError } from "../errors";
import { assertCanViewRequest, assertIsRequester } from "./access";

// What every step of a request's life shares: loading it, and writing a
// status change with its history row and audit event.

export type RequestMetadata = { ipAddress?: string; userAgent?: string };

export interface RequestContext {
  db: DatabaseClient;
  actor: Actor;
  requestMetadata?: RequestMetadata;
}

export async function writeTransition(
  tx: Transaction,
  {
    request,
    from,
    to,
    actorId,
    note,
    requestMetadata,
  }: {
    request: HubRequest;
    from: HubRequestStatus[];
    to: HubRequestStatus;
    actorId: string | null;
    note?: string;
    requestMetadata?: RequestMetadata;
  },
  extra: Prisma.HubRequestUncheckedUpdateManyInput = {},
): Promise<void> {
  // Conditional on the status the caller saw: of two racing decisions, the
  // second finds the status changed and fails instead of deciding twice.
  const { count } = await tx.hubRequest.updateMany({
    where: { id: request.id, status: { in: from } },
    data: { status: to, ...extra },
  });
  if (count === 0)
    throw new AppError(
      "CONFLICT",
      `This request is no longer ${from.join(" or ").toLowerCase().replaceAll("_", " ")}`,
    );
  await tx.hubRequestTransition.create({
    data: { requestId: request.id, fromStatus: request.status, toStatus: to, actorId, note },
  });
  await recordAuditEvent(tx, {
    actorId,
    action: `hub-request.${to.toLowerCase().replaceAll("_", "-")}`,
    subjectType: "HubRequest",
    subjectId: request.id,
    details: note ? { note } : undefined,
    requestMetadata,
  });
}

export async function operatorIds(tx: Transaction | DatabaseClient): Promise<string[]> {
  return (await tx.user.findMany({ where: { isOperator: true }, select: { id: true } })).map(
    (user) => user.id,
  );
}

export function describeRequest(request: Pick<HubRequest, "courseCode" | "courseTitle">): string {
  return [request.courseCode, request.courseTitle].filter(Boolean).join(": ") || "your hub request";
}

/** A request the actor filed themselves: only its requester edits, submits and withdraws it. */
export async function loadOwnRequest(
  db: DatabaseClient,
  actor: Actor,
  requestId: string,
): Promise<HubRequest> {
  const request = await loadRequest(db, requestId);
  assertCanViewRequest(actor, request);
  assertIsRequester(actor, request);
  return request;
}

export async function loadRequest(db: DatabaseClient, requestId: string): Promise<HubRequest> {
  const request = await db.hubRequest.findUnique({ where: { id: requestId } });
  if (!request) throw new AppError("NOT_FOUND", "Request not found");
  return request;
}
