import { recordAuditEvent, type HubRequest } from "@hubfed/db";
import { notify } from "../audit";
import { assertCanReview, assertCanViewRequest } from "./access";
import {
  describeRequest,
  loadRequest,
  operatorIds,
  writeTransition,
  type RequestContext,
} from "./records";

// The conversation between a requester and ops: comments, asking for changes, declining.

export async function commentOnRequest(
  { db, actor, requestMetadata }: RequestContext,
  { requestId, body }: { requestId: string; body: string },
) {
  const request = await loadRequest(db, requestId);
  assertCanViewRequest(actor, request);
  return db.$transaction(async (tx) => {
    const comment = await tx.hubRequestComment.create({
      data: { requestId, authorId: actor.userId, body },
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "hub-request.comment",
      subjectType: "HubRequest",
      subjectId: requestId,
      requestMetadata,
    });
    const isRequesterSpeaking = actor.userId === request.requesterId;
    await notify(tx, {
      userIds: isRequesterSpeaking ? await operatorIds(tx) : [request.requesterId],
      kind: "hub-request.comment",
      title: `New message on ${describeRequest(request)}`,
      body: body.slice(0, 500),
      href: isRequesterSpeaking ? `/ops/requests/${requestId}` : `/requests/${requestId}`,
    });
    return comment;
  });
}

export async function requestChanges(
  { db, actor, requestMetadata }: RequestContext,
  { requestId, message }: { requestId: string; message: string },
): Promise<HubRequest> {
  assertCanReview(actor);
  const request = await loadRequest(db, requestId);
  await db.$transaction(async (tx) => {
    await writeTransition(tx, {
      request,
      from: ["SUBMITTED"],
      to: "CHANGES_REQUESTED",
      actorId: actor.userId,
      note: message,
      requestMetadata,
    });
    await tx.hubRequestComment.create({
      data: { requestId, authorId: actor.userId, body: message },
    });
    await notify(tx, {
      userIds: [request.requesterId],
      kind: "hub-request.changes-requested",
      title: `Changes requested: ${describeRequest(request)}`,
      body: message,
      href: `/requests/${requestId}`,
    });
  });
  return loadRequest(db, requestId);
}

export async function rejectRequest(
  { db, actor, requestMetadata }: RequestContext,
  { requestId, reason }: { requestId: string; reason: string },
): Promise<HubRequest> {
  assertCanReview(actor);
  const request = await loadRequest(db, requestId);
  await db.$transaction(async (tx) => {
    await writeTransition(
      tx,
      {
        request,
        from: ["SUBMITTED"],
        to: "REJECTED",
        actorId: actor.userId,
        note: reason,
        requestMetadata,
      },
      { decidedById: actor.userId, decidedAt: new Date(), decisionNote: reason },
    );
    await notify(tx, {
      userIds: [request.requesterId],
      kind: "hub-request.rejected",
      title: `Request declined: ${describeRequest(request)}`,
      body: reason,
      href: `/requests/${requestId}`,
    });
  });
  return loadRequest(db, requestId);
}
