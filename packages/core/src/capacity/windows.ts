import { can, type Actor } from "@hubfed/auth/permissions";
import { type DatabaseClient, recordAuditEvent } from "@hubfed/db";
import { notify } from "../audit";
import { localDateTimeToUtc } from "../courses/time-zones";
import { AppError } from "../errors";
import { findCluster, pricingOfCluster } from "../pricing/region-pricing";
import {
  decideCapacityWindowInput,
  maxWindowDays,
  requestCapacityWindowInput,
  type DecideCapacityWindowInput,
  type RequestCapacityWindowInput,
} from "./calendar-input";
import {
  isWithinCourseDays,
  liveHubsOf,
  loadCalendarCourse,
  notifyCourseStaff,
  parseOrFieldErrors,
  type RequestMetadata,
} from "./course-calendar-access";
import { capacityEnvelopeOf, envelopeExcessOf } from "./envelope";
import { estimateWindowCost } from "./window-cost";
import { warnIfClusterCannotHold } from "./capacity-warnings";

// Capacity windows: seats an instructor asks to hold warm for a span ("exam:
// 300 seats, Tue 10:00–12:00, 2 GiB each"). Within the hub's approved
// envelope (envelope.ts) a window is approved at once; beyond it, ops decide,
// seeing its cost by the request's estimate. Only approved windows are planned.

function describeWindow(window: { seats: number; memoryMibPerSeat: number; reason: string }) {
  return `${window.reason}: ${window.seats} seats, ${window.memoryMibPerSeat} MiB each`;
}

export async function requestCapacityWindow(
  db: DatabaseClient,
  actor: Actor,
  rawInput: RequestCapacityWindowInput,
  requestMetadata?: RequestMetadata,
) {
  const input = parseOrFieldErrors(requestCapacityWindowInput, rawInput);
  const course = await loadCalendarCourse(db, actor, input.courseSlug, "course.schedule.manage");
  const startsAt = localDateTimeToUtc(input.startsAt, course.timezone);
  const endsAt = localDateTimeToUtc(input.endsAt, course.timezone);
  const fieldErrors: Record<string, string[]> = {};
  const outside = `must be within the course, ${course.startDate} to ${course.endDate}`;
  if (!isWithinCourseDays(input.startsAt, course)) fieldErrors.startsAt = [outside];
  if (endsAt <= startsAt) fieldErrors.endsAt = ["must be after the start"];
  else if (endsAt.getTime() - startsAt.getTime() > maxWindowDays * 86_400_000)
    fieldErrors.endsAt = [`must be at most ${maxWindowDays} days after the start`];
  else if (endsAt <= new Date()) fieldErrors.endsAt = ["must not be in the past"];
  else if (!isWithinCourseDays(input.endsAt, course)) fieldErrors.endsAt = [outside];
  if (Object.keys(fieldErrors).length > 0)
    throw new AppError("BAD_REQUEST", "The capacity window is invalid", fieldErrors);

  const hubs = await liveHubsOf(db, course.id);
  const envelope = capacityEnvelopeOf(
    course,
    hubs.map((hub) => hub.spec),
  );
  const excess = envelopeExcessOf(input, envelope);
  const firstHub = hubs[0];
  const cluster = firstHub ? await findCluster(db, { id: firstHub.clusterId }) : null;
  const cost =
    firstHub && cluster
      ? estimateWindowCost(
          { startsAt, endsAt, seats: input.seats, memoryMibPerSeat: input.memoryMibPerSeat },
          {
            expectedEnrollment: course.expectedEnrollment,
            cpuGuaranteeMilli: firstHub.spec.cpuGuaranteeMilli,
          },
          pricingOfCluster(cluster),
        ).cents
      : 0n;
  const withinEnvelope = excess.length === 0;
  const now = new Date();

  const created = await db.$transaction(async (tx) => {
    const window = await tx.capacityWindow.create({
      data: {
        courseId: course.id,
        reason: input.reason,
        startsAt,
        endsAt,
        seats: input.seats,
        memoryMibPerSeat: input.memoryMibPerSeat,
        estimatedCostCents: cost,
        requestedById: actor.userId,
        status: withinEnvelope ? "APPROVED" : "PENDING",
        decidedAt: withinEnvelope ? now : null,
        decisionNote: withinEnvelope ? "Within the hub's approved envelope." : null,
      },
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: withinEnvelope ? "capacity-window.add" : "capacity-window.request",
      subjectType: "CapacityWindow",
      subjectId: window.id,
      details: {
        courseId: course.id,
        seats: input.seats,
        memoryMibPerSeat: input.memoryMibPerSeat,
        estimatedCostCents: cost.toString(),
        beyondEnvelope: excess,
      },
      requestMetadata,
    });
    const summary = `${describeWindow(input)}, ${input.startsAt.replace("T", " ")} to ${input.endsAt.replace("T", " ")} (${course.timezone}).`;
    if (withinEnvelope) {
      await notifyCourseStaff(tx, course, actor.userId, {
        kind: "capacity-window.approved",
        title: `${course.code}: capacity window added`,
        body: summary,
      });
    } else {
      const operators = await tx.user.findMany({
        where: { isOperator: true },
        select: { id: true },
      });
      await notify(tx, {
        userIds: operators.map((user) => user.id),
        kind: "capacity-window.submitted",
        title: `${course.code} asks for a capacity window`,
        body: `${summary} Beyond the envelope: ${excess.join("; ")}.`.slice(0, 500),
        href: `/courses/${course.slug}/schedule`,
      });
    }
    return {
      id: window.id,
      status: window.status,
      estimatedCostCents: cost,
      beyondEnvelope: excess,
    };
  });
  if (withinEnvelope)
    await warnIfClusterCannotHold(db, {
      courseId: course.id,
      from: startsAt,
      to: endsAt,
      what: `the window "${input.reason}"`,
    });
  return created;
}

/** Instructors take back a window they no longer need (pending or approved). */
export async function withdrawCapacityWindow(
  db: DatabaseClient,
  actor: Actor,
  input: { courseSlug: string; windowId: string },
  requestMetadata?: RequestMetadata,
): Promise<{ id: string }> {
  const course = await loadCalendarCourse(db, actor, input.courseSlug, "course.schedule.manage");
  return db.$transaction(async (tx) => {
    const window = await tx.capacityWindow.findFirst({
      where: { id: input.windowId, courseId: course.id },
    });
    if (!window) throw new AppError("NOT_FOUND", "That window is not on this course's calendar");
    await tx.capacityWindow.delete({ where: { id: window.id } });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "capacity-window.withdraw",
      subjectType: "CapacityWindow",
      subjectId: window.id,
      details: { courseId: course.id, status: window.status },
      requestMetadata,
    });
    await notifyCourseStaff(tx, course, actor.userId, {
      kind: "capacity-window.withdrawn",
      title: `${course.code}: capacity window withdrawn`,
      body: describeWindow(window),
    });
    return { id: window.id };
  });
}

/** Ops approve or reject a pending window; the course's instructors and the requester hear of it. */
export async function decideCapacityWindow(
  db: DatabaseClient,
  actor: Actor,
  rawInput: DecideCapacityWindowInput,
  requestMetadata?: RequestMetadata,
) {
  const input = parseOrFieldErrors(decideCapacityWindowInput, rawInput);
  if (!can(actor, "capacity.review"))
    throw new AppError("FORBIDDEN", "Only the federation's operators decide capacity windows");
  if (input.decision === "REJECTED" && !input.note)
    throw new AppError("BAD_REQUEST", "Say why the window is rejected", {
      note: ["is required when rejecting"],
    });
  const window = await db.capacityWindow.findUnique({
    where: { id: input.windowId },
    include: { course: { select: { id: true, slug: true, code: true } } },
  });
  if (!window) throw new AppError("NOT_FOUND", "Capacity window not found");
  const decided = await db.$transaction(async (tx) => {
    const { count } = await tx.capacityWindow.updateMany({
      where: { id: window.id, status: "PENDING" },
      data: {
        status: input.decision,
        decidedById: actor.userId,
        decidedAt: new Date(),
        decisionNote: input.note ?? null,
      },
    });
    if (count === 0) throw new AppError("CONFLICT", "This window has already been decided");
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: input.decision === "APPROVED" ? "capacity-window.approve" : "capacity-window.reject",
      subjectType: "CapacityWindow",
      subjectId: window.id,
      details: { courseId: window.courseId, note: input.note ?? null },
      requestMetadata,
    });
    const instructors = await tx.enrollment.findMany({
      where: { courseId: window.courseId, role: "INSTRUCTOR" },
      select: { userId: true },
    });
    const verdict = input.decision === "APPROVED" ? "approved" : "rejected";
    await notify(tx, {
      userIds: [
        ...instructors.map((row) => row.userId),
        ...(window.requestedById ? [window.requestedById] : []),
      ],
      kind: `capacity-window.${verdict}`,
      title: `${window.course.code}: capacity window ${verdict}`,
      body: `${describeWindow(window)}.${input.note ? ` ${input.note}` : ""}`.slice(0, 500),
      href: `/courses/${window.course.slug}/schedule`,
    });
    return { id: window.id, status: input.decision };
  });
  if (decided.status === "APPROVED")
    await warnIfClusterCannotHold(db, {
      courseId: window.courseId,
      from: window.startsAt,
      to: window.endsAt,
      what: `the window "${window.reason}"`,
    });
  return decided;
}

/** The windows waiting for ops, oldest first: the ops panel and the home page's task. */
export async function listPendingCapacityWindows(db: DatabaseClient, actor: Actor) {
  if (!can(actor, "capacity.review"))
    throw new AppError("FORBIDDEN", "Only the federation's operators decide capacity windows");
  const windows = await db.capacityWindow.findMany({
    where: { status: "PENDING" },
    orderBy: { createdAt: "asc" },
    include: {
      course: { select: { slug: true, code: true, title: true, timezone: true } },
      requestedBy: { select: { name: true } },
    },
  });
  return windows.map((window) => ({
    id: window.id,
    courseSlug: window.course.slug,
    courseCode: window.course.code,
    courseTitle: window.course.title,
    timezone: window.course.timezone,
    reason: window.reason,
    startsAt: window.startsAt,
    endsAt: window.endsAt,
    seats: window.seats,
    memoryMibPerSeat: window.memoryMibPerSeat,
    estimatedCostCents: window.estimatedCostCents,
    requestedBy: window.requestedBy?.name ?? null,
    createdAt: window.createdAt,
  }));
}
