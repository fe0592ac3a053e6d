import { can } from "@hubfed/auth/permissions";
import { regionSettingsOf } from "../regions/settings";
import { type HubRequest, type Prisma, recordAuditEvent } from "@hubfed/db";
import type { JobQueues } from "@hubfed/jobs";
import { notify } from "../audit";
import { AppError, fieldErrorsOf } from "../errors";
import { applyDueSpecChanges } from "../hubs/spec-changes";
import { hubSpecSchema, type HubSpec } from "@hubfed/hub-spec";
import { resolveImage } from "./hub-spec-from-request";
import { assertCanReview } from "./access";
import { hubChangeRequestSchema, type HubChange } from "./form";
import type { RequestContext } from "./records";
import { estimateChangeCost } from "./change-cost";
import { pricingOfCluster } from "../pricing/region-pricing";
import { localDateTimeToUtc } from "../courses/time-zones";

function describeChange(change: HubChange): string {
  switch (change.kind) {
    case "resources":
      return `${change.memoryGuaranteeMib} MiB / ${change.cpuGuaranteeMilli / 1000} CPU guaranteed from ${change.startsOn} to ${change.endsOn}`;
    case "image":
      return `new image (${change.image.kind === "curated" ? change.image.name : change.image.reference})`;
    case "storage":
      return `${change.storageGib} GiB of storage per student`;
    case "end-date":
      return `course end moved to ${change.endDate}`;
    case "autograder":
      return change.isEnabled ? "turn the autograder on" : "turn the autograder off";
  }
}

/** An instructor (or their institution's admin) asks to change a running hub; ops review it like a new request. */
export async function createChangeRequest(
  { db, actor, requestMetadata }: RequestContext,
  input: unknown,
): Promise<HubRequest> {
  const parsed = hubChangeRequestSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError("BAD_REQUEST", "Some fields are invalid", fieldErrorsOf(parsed.error));
  const { hubSlug, reason, change } = parsed.data;
  const hub = await db.hub.findUnique({
    where: { slug: hubSlug },
    include: {
      course: { include: { meetings: { select: { durationMinutes: true } } } },
      cluster: { include: { region: true, cloud: true, nodePools: true } },
    },
  });
  if (
    !hub ||
    !can(actor, "hub.change.request", {
      courseId: hub.courseId,
      institutionId: hub.course.institutionId,
    })
  ) {
    throw new AppError("NOT_FOUND", "Hub not found", { hubSlug: ["is not a hub you manage"] });
  }
  if (hub.status === "DECOMMISSIONING" || hub.status === "ARCHIVED")
    throw new AppError("CONFLICT", "This hub is being retired and cannot change");
  const spec = hubSpecSchema.parse(hub.spec);
  const courseEnd = hub.course.endDate.toISOString().slice(0, 10);
  // "Today" in the course's own time zone, where its dates are written.
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: hub.course.timezone }).format(
    new Date(),
  );
  if (change.kind === "storage" && change.storageGib <= spec.storageGib) {
    throw new AppError("BAD_REQUEST", "Storage can only grow", {
      "change.storageGib": [`must be more than the current ${spec.storageGib} GiB`],
    });
  }
  if (change.kind === "end-date" && change.endDate <= courseEnd) {
    throw new AppError("BAD_REQUEST", "The end date can only move later", {
      "change.endDate": [`must be after the current end date, ${courseEnd}`],
    });
  }
  if (change.kind === "resources" && change.endsOn < today) {
    throw new AppError("BAD_REQUEST", "The window is in the past", {
      "change.endsOn": ["must not be in the past"],
    });
  }
  if (change.kind === "autograder" && change.isEnabled === spec.autograder.isEnabled) {
    throw new AppError("BAD_REQUEST", "Nothing would change", {
      "change.isEnabled": [`the autograder is already ${spec.autograder.isEnabled ? "on" : "off"}`],
    });
  }
  if (
    change.kind === "image" &&
    !resolveImage(change.image, regionSettingsOf(hub.cluster.region).defaults)
  ) {
    throw new AppError("BAD_REQUEST", "Unknown image", {
      "change.image": ["is not offered in this hub's region"],
    });
  }
  const window =
    change.kind === "resources"
      ? {
          changeStartsAt: localDateTimeToUtc(`${change.startsOn}T00:00`, hub.course.timezone),
          changeEndsAt: localDateTimeToUtc(`${change.endsOn}T23:59`, hub.course.timezone),
        }
      : { changeStartsAt: null, changeEndsAt: null };
  // What the change adds to the bill, priced like a new request, so ops (and the instructor) see it.
  const cost = estimateChangeCost(
    change,
    {
      meetings: hub.course.meetings,
      expectedEnrollment: hub.course.expectedEnrollment,
      expectedConcurrentUsers: hub.course.expectedConcurrentUsers,
      memoryGuaranteeMib: spec.memoryGuaranteeMib,
      cpuGuaranteeMilli: spec.cpuGuaranteeMilli,
      storageGib: spec.storageGib,
      courseEndDate: courseEnd,
      today,
    },
    pricingOfCluster(hub.cluster),
  );
  return db.$transaction(async (tx) => {
    const request = await tx.hubRequest.create({
      data: {
        kind: "CHANGE",
        estimateTotalCents: cost?.extraCents ?? 0n,
        estimateAssumptions: cost
          ? [
              `Extra cost from ${cost.fromDate} to ${cost.toDate}: the estimate of a new request over those days, with the change less without it.`,
            ]
          : ["A new image changes nothing the estimate prices."],
        status: "SUBMITTED",
        requesterId: actor.userId,
        institutionId: hub.course.institutionId,
        courseId: hub.courseId,
        hubId: hub.id,
        form: { hubSlug, reason, change } as Prisma.InputJsonValue,
        courseCode: hub.course.code,
        courseTitle: `Change: ${describeChange(change)}`,
        courseStartDate: hub.course.startDate,
        submittedAt: new Date(),
        ...window,
      },
    });
    await tx.hubRequestTransition.create({
      data: { requestId: request.id, toStatus: "SUBMITTED", actorId: actor.userId, note: reason },
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "hub-request.change.submit",
      subjectType: "HubRequest",
      subjectId: request.id,
      requestMetadata,
    });
    const operators = await tx.user.findMany({ where: { isOperator: true }, select: { id: true } });
    await notify(tx, {
      userIds: operators.map((user) => user.id),
      kind: "hub-request.submitted",
      title: `Change request for ${hub.slug}`,
      body: `${describeChange(change)}. ${reason}`.slice(0, 500),
      href: `/ops/requests/${request.id}`,
    });
    return request;
  });
}

function patchOf(
  change: HubChange,
  regionDefaults: Parameters<typeof resolveImage>[1],
): Partial<HubSpec> {
  switch (change.kind) {
    case "resources":
      return {
        memoryGuaranteeMib: change.memoryGuaranteeMib,
        memoryLimitMib: change.memoryLimitMib,
        cpuGuaranteeMilli: change.cpuGuaranteeMilli,
        cpuLimitMilli: change.cpuLimitMilli,
      };
    case "image":
      return { image: resolveImage(change.image, regionDefaults) ?? "" };
    case "storage":
      return { storageGib: change.storageGib };
    case "end-date":
      return {};
    case "autograder":
      return { autograder: { isEnabled: change.isEnabled } };
  }
}

/**
 * Approves a change request. Spec changes become a HubSpecChange applied now
 * (or when its window opens) and, when time-boxed, reverted when it closes;
 * a later end date moves the course's end.
 */
export async function approveChangeRequest(
  { db, actor, requestMetadata, queues }: RequestContext & { queues: JobQueues },
  { requestId, note }: { requestId: string; note?: string },
): Promise<HubRequest> {
  assertCanReview(actor);
  const request = await db.hubRequest.findUnique({
    where: { id: requestId },
    include: { hub: { include: { cluster: { include: { region: true } } } } },
  });
  if (!request || request.kind !== "CHANGE" || !request.hub || !request.courseId)
    throw new AppError("NOT_FOUND", "Change request not found");
  const parsed = hubChangeRequestSchema.safeParse(request.form);
  if (!parsed.success)
    throw new AppError(
      "BAD_REQUEST",
      "The change request is malformed",
      fieldErrorsOf(parsed.error),
    );
  const { change } = parsed.data;
  const hub = request.hub;
  const courseId = request.courseId;
  await db.$transaction(async (tx) => {
    const { count } = await tx.hubRequest.updateMany({
      where: { id: request.id, status: "SUBMITTED" },
      data: {
        status: "APPROVED",
        decidedById: actor.userId,
        decidedAt: new Date(),
        decisionNote: note,
      },
    });
    if (count === 0) throw new AppError("CONFLICT", "This request is no longer submitted");
    await tx.hubRequestTransition.create({
      data: {
        requestId: request.id,
        fromStatus: "SUBMITTED",
        toStatus: "APPROVED",
        actorId: actor.userId,
        note,
      },
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "hub-request.approved",
      subjectType: "HubRequest",
      subjectId: request.id,
      requestMetadata,
    });
    if (change.kind === "end-date") {
      await tx.course.update({
        where: { id: courseId },
        data: { endDate: new Date(`${change.endDate}T00:00:00Z`) },
      });
    } else {
      await tx.hubSpecChange.create({
        data: {
          hubId: hub.id,
          requestId: request.id,
          patch: patchOf(change, regionSettingsOf(hub.cluster.region).defaults),
          previous: {},
          startsAt: request.changeStartsAt ?? new Date(),
          endsAt: request.changeEndsAt,
        },
      });
    }
    await notify(tx, {
      userIds: [request.requesterId],
      kind: "hub-request.approved",
      title: `Change approved for ${hub.slug}`,
      body: describeChange(change),
      href: `/requests/${request.id}`,
    });
  });
  await applyDueSpecChanges(db, { queues });
  return db.hubRequest.findUniqueOrThrow({ where: { id: request.id } });
}
