import type { Actor } from "@hubfed/auth/permissions";
import {
  Prisma,
  type DatabaseClient,
  type HubRequest,
  type HubRequestStatus,
  type Transaction,
  recordAuditEvent,
} from "@hubfed/db";
import { provisionHubJob, provisionJobId, type JobQueues } from "@hubfed/jobs";
import { notify } from "../audit";
import { availableCents } from "../credits";
import { AppError, isAppError } from "../errors";
import { createHubWithHold } from "../hubs/create-hub";
import { buildHubSpec, resolveImage } from "../hubs/spec";
import { assertCanReview, assertCanViewRequest, assertIsRequester } from "./access";
import { keepWithheldValues } from "./draft";
import {
  fieldErrorsOf,
  hubRequestDraftSchema,
  validateForSubmission,
  type HubRequestDraft,
  type HubRequestForm,
} from "./form";
import {
  estimateForm,
  findClusterForApproval,
  findEstimateCluster,
  pricingOfCluster,
  regionSettingsOf,
} from "./pricing";

type RequestMetadata = { ipAddress?: string; userAgent?: string };

export interface RequestContext {
  db: DatabaseClient;
  actor: Actor;
  requestMetadata?: RequestMetadata;
}

const editableStatuses: HubRequestStatus[] = ["DRAFT", "CHANGES_REQUESTED"];
const withdrawableStatuses: HubRequestStatus[] = ["DRAFT", "SUBMITTED", "CHANGES_REQUESTED"];

function parseDraft(input: unknown): HubRequestDraft {
  const result = hubRequestDraftSchema.safeParse(input);
  if (!result.success)
    throw new AppError("BAD_REQUEST", "Some fields are invalid", fieldErrorsOf(result.error));
  return result.data;
}

/** The institution a requester belongs to: by membership, else by their email's domain. */
async function findRequesterInstitutionId(
  db: DatabaseClient,
  actor: Actor,
): Promise<string | null> {
  const user = await db.user.findUnique({
    where: { id: actor.userId },
    select: { email: true, institutionMemberships: { select: { institutionId: true } } },
  });
  const membership = user?.institutionMemberships[0];
  if (membership) return membership.institutionId;
  const domain = user?.email?.split("@")[1];
  if (!domain) return null;
  const institution = await db.institution.findFirst({
    where: { emailDomains: { has: domain } },
    select: { id: true },
  });
  return institution?.id ?? null;
}

/** Denormalised copies of the form the queue filters and sorts on. */
function queueColumnsOf(draft: HubRequestDraft) {
  return {
    courseCode: draft.course?.code ?? null,
    courseTitle: draft.course?.title ?? null,
    courseStartDate: draft.course?.startDate
      ? new Date(`${draft.course.startDate}T00:00:00Z`)
      : null,
  };
}

async function resolvePreferredRegionId(
  db: DatabaseClient,
  draft: HubRequestDraft,
): Promise<string | null> {
  const slug = draft.placement?.preferredRegion;
  if (!slug) return null;
  const region = await db.region.findUnique({ where: { slug }, select: { id: true } });
  if (!region)
    throw new AppError("BAD_REQUEST", "Unknown region", {
      "placement.preferredRegion": [`there is no region "${slug}"`],
    });
  return region.id;
}

/** Estimate columns for a complete form, or nulls while the draft is incomplete. */
async function estimateColumnsOf(db: DatabaseClient, draft: HubRequestDraft) {
  const { form } = validateForSubmission(draft);
  if (!form)
    return {
      estimateTotalCents: null,
      estimatePerStudentMonthCents: null,
      estimateAssumptions: Prisma.DbNull,
    };
  const cluster = await findEstimateCluster(db, form.placement);
  const estimate = estimateForm(form, pricingOfCluster(cluster));
  return {
    estimateTotalCents: estimate.totalCents,
    estimatePerStudentMonthCents: Number(estimate.perStudentMonthCents),
    estimateAssumptions: estimate.assumptions,
  };
}

async function writeTransition(
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

async function operatorIds(tx: Transaction | DatabaseClient): Promise<string[]> {
  return (await tx.user.findMany({ where: { isOperator: true }, select: { id: true } })).map(
    (user) => user.id,
  );
}

function describeRequest(request: Pick<HubRequest, "courseCode" | "courseTitle">): string {
  return [request.courseCode, request.courseTitle].filter(Boolean).join(": ") || "your hub request";
}

/** A request the actor filed themselves: only its requester edits, submits and withdraws it. */
async function loadOwnRequest(
  db: DatabaseClient,
  actor: Actor,
  requestId: string,
): Promise<HubRequest> {
  const request = await loadRequest(db, requestId);
  assertCanViewRequest(actor, request);
  assertIsRequester(actor, request);
  return request;
}

async function loadRequest(db: DatabaseClient, requestId: string): Promise<HubRequest> {
  const request = await db.hubRequest.findUnique({ where: { id: requestId } });
  if (!request) throw new AppError("NOT_FOUND", "Request not found");
  return request;
}

/**
 * Creates a draft (no id) or saves one; drafts are saved as they are typed.
 * `withheldPaths` names the fields the form left out because their value is
 * not valid yet: the stored value stays there (requests/draft.ts).
 */
export async function saveDraft(
  { db, actor, requestMetadata }: RequestContext,
  input: { requestId?: string; draft: unknown; withheldPaths?: readonly string[] },
): Promise<HubRequest> {
  const received = parseDraft(input.draft);
  const existing = input.requestId ? await loadOwnRequest(db, actor, input.requestId) : undefined;
  const draft = keepWithheldValues(received, existing?.form, input.withheldPaths ?? []);
  const preferredRegionId = await resolvePreferredRegionId(db, draft);
  const estimate = await estimateColumnsOf(db, draft).catch(() => ({
    estimateTotalCents: null,
    estimatePerStudentMonthCents: null,
    estimateAssumptions: Prisma.DbNull,
  }));
  const columns = {
    form: draft as Prisma.InputJsonValue,
    preferredRegionId,
    ...queueColumnsOf(draft),
    ...estimate,
  };
  if (!existing) {
    const institutionId = await findRequesterInstitutionId(db, actor);
    return db.$transaction(async (tx) => {
      const request = await tx.hubRequest.create({
        data: { ...columns, requesterId: actor.userId, institutionId },
      });
      await tx.hubRequestTransition.create({
        data: { requestId: request.id, toStatus: "DRAFT", actorId: actor.userId },
      });
      await recordAuditEvent(tx, {
        actorId: actor.userId,
        action: "hub-request.create",
        subjectType: "HubRequest",
        subjectId: request.id,
        requestMetadata,
      });
      return request;
    });
  }
  const { count } = await db.hubRequest.updateMany({
    where: { id: existing.id, status: { in: editableStatuses } },
    data: columns,
  });
  if (count === 0) throw new AppError("CONFLICT", "This request can no longer be edited");
  return loadRequest(db, existing.id);
}

/** Submits a draft, or resubmits after changes were requested. Every field must be valid. */
export async function submitRequest(
  { db, actor, requestMetadata }: RequestContext,
  { requestId }: { requestId: string },
): Promise<HubRequest> {
  const request = await loadOwnRequest(db, actor, requestId);
  const { fieldErrors } = validateForSubmission(request.form);
  if (fieldErrors)
    throw new AppError("BAD_REQUEST", "Some fields still need attention", fieldErrors);
  const isResubmission = request.status === "CHANGES_REQUESTED";
  await db.$transaction(async (tx) => {
    await writeTransition(
      tx,
      { request, from: editableStatuses, to: "SUBMITTED", actorId: actor.userId, requestMetadata },
      { submittedAt: new Date() },
    );
    await notify(tx, {
      userIds: await operatorIds(tx),
      kind: "hub-request.submitted",
      title: `${isResubmission ? "Resubmitted" : "New"} hub request: ${describeRequest(request)}`,
      body: `A hub request is waiting for review.`,
      href: `/ops/requests/${request.id}`,
    });
  });
  return loadRequest(db, request.id);
}

export async function withdrawRequest(
  { db, actor, requestMetadata }: RequestContext,
  { requestId }: { requestId: string },
): Promise<HubRequest> {
  const request = await loadOwnRequest(db, actor, requestId);
  await db.$transaction((tx) =>
    writeTransition(tx, {
      request,
      from: withdrawableStatuses,
      to: "WITHDRAWN",
      actorId: actor.userId,
      requestMetadata,
    }),
  );
  return loadRequest(db, request.id);
}

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

function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

async function uniqueSlug(
  taken: (slug: string) => Promise<boolean>,
  base: string,
): Promise<string> {
  const root = base || "hub";
  for (let suffix = 1; ; suffix += 1) {
    const candidate = suffix === 1 ? root : `${root}-${suffix}`;
    if (!(await taken(candidate))) return candidate;
  }
}

function termAbbreviation(term: string): string {
  const match = /^(spring|summer|fall|autumn|winter)\s+(\d{4})$/i.exec(term.trim());
  if (!match?.[1] || !match[2]) return slugify(term);
  const season =
    { spring: "sp", summer: "su", fall: "fa", autumn: "fa", winter: "wi" }[
      match[1].toLowerCase()
    ] ?? "";
  return `${season}${match[2].slice(2)}`;
}

async function createInstitutionFromForm(tx: Transaction, form: HubRequestForm) {
  const slug = await uniqueSlug(
    async (candidate) => (await tx.institution.count({ where: { slug: candidate } })) > 0,
    slugify(form.institution.name),
  );
  return tx.institution.create({
    data: {
      slug,
      name: form.institution.name,
      emailDomains: form.institution.emailDomains,
      contacts: { create: form.institution.contacts },
    },
  });
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`. */
function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  const wallClockAsUtc = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wallClockAsUtc - instant.getTime();
}

/** A wall-clock time in the course's zone ("2026-10-14T10:00") as an instant. */
export function localDateTimeToUtc(value: string, timeZone: string): Date {
  const wallClockAsUtc = new Date(`${value}:00Z`);
  return new Date(wallClockAsUtc.getTime() - zoneOffsetMs(wallClockAsUtc, timeZone));
}

export interface ApproveInput {
  requestId: string;
  clusterId: string;
  creditPoolId: string;
  note?: string;
}

/**
 * Approves a new-hub request in one transaction: the decision, the course
 * (with its schedule), the requester as instructor, the hub (PENDING), its
 * allocation and a hold for the estimate on the chosen pool. The hub's
 * provisioning job is queued after the commit (jobId per hub, so a retry
 * never queues it twice).
 */
export async function approveRequest(
  { db, actor, requestMetadata, queues }: RequestContext & { queues: JobQueues },
  input: ApproveInput,
) {
  assertCanReview(actor);
  const request = await loadRequest(db, input.requestId);
  if (request.kind !== "NEW_HUB")
    throw new AppError("BAD_REQUEST", "Change requests are approved with approveChangeRequest");
  if (request.status !== "SUBMITTED")
    throw new AppError("CONFLICT", "Only a submitted request can be approved");
  const { form, fieldErrors } = validateForSubmission(request.form);
  if (!form) throw new AppError("BAD_REQUEST", "The request's form is incomplete", fieldErrors);

  const cluster = await findClusterForApproval(db, input.clusterId);
  const pool = await db.creditPool.findUnique({
    where: { id: input.creditPoolId },
    include: { ledgerAccount: true },
  });
  if (!pool)
    throw new AppError("BAD_REQUEST", "Unknown credit pool", {
      creditPoolId: ["is not a credit pool"],
    });
  // Credits attach to one billing entity: a pool can only pay for clusters on its own cloud account.
  if (pool.cloudId !== cluster.cloudId) {
    throw new AppError("BAD_REQUEST", "The pool cannot pay for this cluster", {
      creditPoolId: ["belongs to a different cloud billing account than the cluster"],
    });
  }
  const estimate = estimateForm(form, pricingOfCluster(cluster));
  if (availableCents(pool.ledgerAccount) < estimate.totalCents) {
    throw new AppError("PRECONDITION_FAILED", "The pool cannot cover the estimate", {
      creditPoolId: [
        `has ${availableCents(pool.ledgerAccount)} cents available; the estimate is ${estimate.totalCents} cents`,
      ],
    });
  }
  const { defaults } = regionSettingsOf(cluster.region);
  if (!resolveImage(form.environment.image, defaults)) {
    throw new AppError(
      "BAD_REQUEST",
      "The chosen cluster's region does not offer the requested image",
      {
        clusterId: [
          `is in a region without the image "${form.environment.image.kind === "curated" ? form.environment.image.name : form.environment.image.reference}"`,
        ],
      },
    );
  }
  const spec = buildHubSpec(form, defaults);

  const hub = await db
    .$transaction(async (tx) => {
      await writeTransition(tx, {
        request,
        from: ["SUBMITTED"],
        to: "APPROVED",
        actorId: actor.userId,
        note: input.note,
        requestMetadata,
      });
      const institution = request.institutionId
        ? await tx.institution.findUniqueOrThrow({ where: { id: request.institutionId } })
        : await createInstitutionFromForm(tx, form);
      if (!request.institutionId) {
        await tx.institutionMembership.create({
          data: { userId: request.requesterId, institutionId: institution.id, role: "ADMIN" },
        });
      }
      const courseSlug = await uniqueSlug(
        async (candidate) =>
          (await tx.course.count({ where: { slug: candidate } })) +
            (await tx.hub.count({ where: { slug: candidate } })) >
          0,
        slugify(
          `${institution.slug.slice(0, 12)}-${form.course.code}-${termAbbreviation(form.course.term)}`,
        ),
      );
      const course = await tx.course.create({
        data: {
          slug: courseSlug,
          institutionId: institution.id,
          code: form.course.code,
          title: form.course.title,
          term: form.course.term,
          startDate: new Date(`${form.course.startDate}T00:00:00Z`),
          endDate: new Date(`${form.course.endDate}T00:00:00Z`),
          timezone: form.course.timezone,
          expectedEnrollment: form.audience.expectedEnrollment,
          expectedConcurrentUsers: form.audience.expectedConcurrentUsers,
          lmsCourseId: form.course.lmsCourseId || null,
          // What the requester named, as ops approved it; instructors edit it on the Links page.
          contentRepositoryAllowList: form.environment.contentSources ?? [],
          meetings: {
            create: form.schedule.meetings.map((meeting) => {
              const [hours, minutes] = meeting.startTime.split(":").map(Number);
              return {
                label: meeting.label,
                dayOfWeek: meeting.dayOfWeek,
                startMinute: (hours ?? 0) * 60 + (minutes ?? 0),
                durationMinutes: meeting.durationMinutes,
              };
            }),
          },
          importantDates: {
            create: form.schedule.importantDates.map((date) => ({
              kind: date.kind,
              title: date.title,
              startsAt: localDateTimeToUtc(date.startsAt, form.course.timezone),
              endsAt: date.endsAt ? localDateTimeToUtc(date.endsAt, form.course.timezone) : null,
            })),
          },
        },
      });
      await tx.enrollment.create({
        data: { userId: request.requesterId, courseId: course.id, role: "INSTRUCTOR" },
      });
      const institutionAllocation = await tx.allocation.findFirst({
        where: { poolId: pool.id, institutionId: institution.id, hubId: null },
        select: { id: true, ledgerAccountId: true },
      });
      const { hub: createdHub, holdTransferId } = await createHubWithHold(tx, {
        course,
        clusterId: cluster.id,
        pool,
        institutionAllocation,
        spec,
        holdCents: estimate.totalCents,
        requestId: request.id,
      });
      await tx.hubRequest.update({
        where: { id: request.id },
        data: {
          institutionId: institution.id,
          clusterId: cluster.id,
          creditPoolId: pool.id,
          courseId: course.id,
          hubId: createdHub.id,
          decidedById: actor.userId,
          decidedAt: new Date(),
          decisionNote: input.note,
          estimateTotalCents: estimate.totalCents,
          estimatePerStudentMonthCents: Number(estimate.perStudentMonthCents),
          estimateAssumptions: estimate.assumptions,
        },
      });
      await recordAuditEvent(tx, {
        actorId: actor.userId,
        action: "hub.create",
        subjectType: "Hub",
        subjectId: createdHub.id,
        details: {
          requestId: request.id,
          holdTransferId,
          holdCents: estimate.totalCents.toString(),
          cluster: cluster.slug,
          pool: pool.slug,
        },
        requestMetadata,
      });
      await notify(tx, {
        userIds: [request.requesterId],
        kind: "hub-request.approved",
        title: `Approved: ${course.code} ${course.title}`,
        body: `Your hub ${createdHub.slug} is being set up on ${cluster.displayName}.`,
        href: `/requests/${request.id}`,
      });
      return createdHub;
    })
    .catch((error: unknown) => {
      // The institution's own allocation from this pool may be too small even when the pool is not.
      if (isAppError(error) && error.code === "PRECONDITION_FAILED") {
        throw new AppError("PRECONDITION_FAILED", error.message, { creditPoolId: [error.message] });
      }
      throw error;
    });
  await queues.add(
    provisionHubJob,
    { hubId: hub.id, trigger: "approval" },
    { jobId: provisionJobId(hub.id, { specRevision: hub.specRevision }) },
  );
  return { request: await loadRequest(db, request.id), hub };
}
