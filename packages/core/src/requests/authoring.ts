import type { Actor } from "@hubfed/auth/permissions";
import {
  Prisma,
  recordAuditEvent,
  type DatabaseClient,
  type HubRequest,
  type HubRequestStatus,
} from "@hubfed/db";
import { notify } from "../audit";
import { AppError, fieldErrorsOf } from "../errors";
import { assertDomainsClaimable } from "../institutions/domain-claims";
import { pricingOfCluster } from "../pricing/region-pricing";
import { keepWithheldValues } from "./draft";
import { hubRequestDraftSchema, validateForSubmission, type HubRequestDraft } from "./form";
import { estimateForm, findEstimateCluster } from "./placement";
import {
  describeRequest,
  loadOwnRequest,
  loadRequest,
  operatorIds,
  writeTransition,
  type RequestContext,
} from "./records";

// A requester's side of a request: drafts saved as they type, submission, withdrawal.

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
  const { form, fieldErrors } = validateForSubmission(request.form);
  if (fieldErrors)
    throw new AppError("BAD_REQUEST", "Some fields still need attention", fieldErrors);
  // A request that founds a new institution claims its email domains: only the requester's own
  // verified one, and none another institution holds (institutions/domain-claims.ts).
  if (!request.institutionId)
    await assertDomainsClaimable(db, {
      requesterId: request.requesterId,
      domains: form.institution.emailDomains,
    });
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
