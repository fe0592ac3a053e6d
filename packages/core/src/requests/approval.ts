import { localUnavailableInterfaces } from "@hubfed/hub-spec";
import type { Actor } from "@hubfed/auth/permissions";
import { regionSettingsOf } from "../regions/settings";
import {
  recordAuditEvent,
  type Course,
  type CreditPool,
  type Hub,
  type HubRequest,
  type Institution,
  type LedgerAccount,
  type Transaction,
} from "@hubfed/db";
import type { HubSpec } from "@hubfed/hub-spec";
import { provisionHubJob, provisionJobId, type JobQueues } from "@hubfed/jobs";
import { notify } from "../audit";
import { createCourseFromRequest } from "../courses/create-course";
import { availableCents } from "../credits";
import { AppError, isAppError } from "../errors";
import { createHubWithHold } from "../hubs/create-hub";
import { createInstitutionWithAdmin } from "../institutions/create-institution";
import { lockDomainClaims } from "../institutions/domain-claims";
import type { CostEstimate } from "../pricing/estimate";
import { pricingOfCluster, type ClusterWithPools } from "../pricing/region-pricing";
import { assertCanReview } from "./access";
import { validateForSubmission, type HubRequestForm } from "./form";
import { buildHubSpec, resolveImage } from "./hub-spec-from-request";
import { estimateForm, findClusterForApproval } from "./placement";
import { loadRequest, writeTransition, type RequestContext } from "./records";

export interface ApproveInput {
  requestId: string;
  clusterId: string;
  creditPoolId: string;
  note?: string;
  /**
   * The email domains ops confirmed for a request that founds a new institution: exactly the
   * requested ones, each shown on the review with whether it is the requester's own and free.
   */
  confirmedEmailDomains?: string[];
}

/** Where ops placed the hub and what it will cost: everything approval checks before it writes. */
interface CheckedPlacement {
  cluster: ClusterWithPools;
  pool: CreditPool & { ledgerAccount: LedgerAccount };
  estimate: CostEstimate;
  spec: HubSpec;
}

/**
 * Approves a new-hub request in one transaction: the decision, the
 * institution (new ones get the requester as admin), the course with its
 * schedule and the requester as instructor, the hub (PENDING) with its
 * allocation and a hold for the estimate on the chosen pool. The hub's
 * provisioning job is queued after the commit (jobId per hub revision, so a
 * retry never queues it twice).
 */
export async function approveRequest(
  { db, actor, requestMetadata, queues }: RequestContext & { queues: JobQueues },
  input: ApproveInput,
) {
  assertCanReview(actor);
  const request = await loadRequest(db, input.requestId);
  const form = approvableFormOf(request);
  if (!request.institutionId) assertDomainsConfirmed(form, input);
  const placement = await checkPlacement(db, form, input);

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
      const institution = await institutionOf(tx, request, form);
      const course = await createCourseFromRequest(tx, {
        institution,
        form,
        instructorUserId: request.requesterId,
      });
      const { hub, holdTransferId } = await createHubWithHold(tx, {
        course,
        clusterId: placement.cluster.id,
        pool: placement.pool,
        institutionAllocation: await tx.allocation.findFirst({
          where: { poolId: placement.pool.id, institutionId: institution.id, hubId: null },
          select: { id: true, ledgerAccountId: true },
        }),
        spec: placement.spec,
        holdCents: placement.estimate.totalCents,
        requestId: request.id,
      });
      await recordDecision(tx, {
        request,
        actor,
        note: input.note,
        institution,
        course,
        hub,
        placement,
      });
      await recordAuditEvent(tx, {
        actorId: actor.userId,
        action: "hub.create",
        subjectType: "Hub",
        subjectId: hub.id,
        details: {
          requestId: request.id,
          holdTransferId,
          holdCents: placement.estimate.totalCents.toString(),
          cluster: placement.cluster.slug,
          pool: placement.pool.slug,
        },
        requestMetadata,
      });
      await notify(tx, {
        userIds: [request.requesterId],
        kind: "hub-request.approved",
        title: `Approved: ${course.code} ${course.title}`,
        body: `Your hub ${hub.slug} is being set up on ${placement.cluster.displayName}.`,
        href: `/requests/${request.id}`,
      });
      return hub;
    })
    .catch(reportShortfallOnThePool);
  await queues.add(
    provisionHubJob,
    { hubId: hub.id, trigger: "approval" },
    { jobId: provisionJobId(hub.id, { specRevision: hub.specRevision }) },
  );
  return { request: await loadRequest(db, request.id), hub };
}

/** The complete form of a submitted new-hub request, or the reason it cannot be approved. */
function approvableFormOf(request: HubRequest): HubRequestForm {
  if (request.kind !== "NEW_HUB")
    throw new AppError("BAD_REQUEST", "Change requests are approved with approveChangeRequest");
  if (request.status !== "SUBMITTED")
    throw new AppError("CONFLICT", "Only a submitted request can be approved");
  const { form, fieldErrors } = validateForSubmission(request.form);
  if (!form) throw new AppError("BAD_REQUEST", "The request's form is incomplete", fieldErrors);
  return form;
}

/** Ops confirmed exactly the domains the new institution will own: none missed, none added. */
function assertDomainsConfirmed(form: HubRequestForm, input: ApproveInput): void {
  const normalised = (domains: readonly string[]) =>
    [...new Set(domains.map((domain) => domain.trim().toLowerCase()))].sort().join(", ");
  const requested = normalised(form.institution.emailDomains);
  if (normalised(input.confirmedEmailDomains ?? []) !== requested)
    throw new AppError("BAD_REQUEST", "Confirm the new institution's email domains", {
      confirmedEmailDomains: [`confirm each domain the new institution will own: ${requested}`],
    });
}

/**
 * The cluster and pool ops chose, checked against each other and the form:
 * the pool pays for the cluster's cloud, covers the estimate, and the
 * cluster's region offers the image. Each refusal names the field to change.
 */
async function checkPlacement(
  db: RequestContext["db"],
  form: HubRequestForm,
  input: ApproveInput,
): Promise<CheckedPlacement> {
  const cluster = await findClusterForApproval(db, input.clusterId);
  const unavailable =
    cluster.runtime === "LOCAL"
      ? localUnavailableInterfaces[form.environment.interface]
      : undefined;
  if (unavailable)
    throw new AppError("BAD_REQUEST", "This cluster cannot open the requested interface", {
      clusterId: [unavailable],
    });
  const pool = await db.creditPool.findUnique({
    where: { id: input.creditPoolId },
    include: { ledgerAccount: true },
  });
  if (!pool)
    throw new AppError("BAD_REQUEST", "Unknown credit pool", {
      creditPoolId: ["is not a credit pool"],
    });
  // Credits attach to one billing entity: a pool can only pay for clusters on its own cloud account.
  if (pool.cloudId !== cluster.cloudId)
    throw new AppError("BAD_REQUEST", "The pool cannot pay for this cluster", {
      creditPoolId: ["belongs to a different cloud billing account than the cluster"],
    });
  const estimate = estimateForm(form, pricingOfCluster(cluster));
  if (availableCents(pool.ledgerAccount) < estimate.totalCents)
    throw new AppError("PRECONDITION_FAILED", "The pool cannot cover the estimate", {
      creditPoolId: [
        `has ${availableCents(pool.ledgerAccount)} cents available; the estimate is ${estimate.totalCents} cents`,
      ],
    });
  const { defaults } = regionSettingsOf(cluster.region);
  if (!resolveImage(form.environment.image, defaults)) {
    const image = form.environment.image;
    throw new AppError(
      "BAD_REQUEST",
      "The chosen cluster's region does not offer the requested image",
      {
        clusterId: [
          `is in a region without the image "${image.kind === "curated" ? image.name : image.reference}"`,
        ],
      },
    );
  }
  return { cluster, pool, estimate, spec: buildHubSpec(form, defaults) };
}

/** The requester's institution, or a new one from the form with the requester as its admin. */
async function institutionOf(
  tx: Transaction,
  request: HubRequest,
  form: HubRequestForm,
): Promise<Institution> {
  if (request.institutionId)
    return tx.institution.findUniqueOrThrow({ where: { id: request.institutionId } });
  // Checked again under a lock per domain: claimed since submission, or by a concurrent approval.
  await lockDomainClaims(tx, {
    requesterId: request.requesterId,
    domains: form.institution.emailDomains,
  });
  return createInstitutionWithAdmin(tx, form.institution, request.requesterId);
}

/** What was decided, on the request itself: by whom, where, and the estimate the hold is for. */
async function recordDecision(
  tx: Transaction,
  {
    request,
    actor,
    note,
    institution,
    course,
    hub,
    placement,
  }: {
    request: HubRequest;
    actor: Actor;
    note: string | undefined;
    institution: Institution;
    course: Course;
    hub: Hub;
    placement: CheckedPlacement;
  },
): Promise<void> {
  await tx.hubRequest.update({
    where: { id: request.id },
    data: {
      institutionId: institution.id,
      clusterId: placement.cluster.id,
      creditPoolId: placement.pool.id,
      courseId: course.id,
      hubId: hub.id,
      decidedById: actor.userId,
      decidedAt: new Date(),
      decisionNote: note,
      estimateTotalCents: placement.estimate.totalCents,
      estimatePerStudentMonthCents: Number(placement.estimate.perStudentMonthCents),
      estimateAssumptions: placement.estimate.assumptions,
    },
  });
}

/** The institution's own allocation from the pool may be too small even when the pool is not. */
function reportShortfallOnThePool(error: unknown): never {
  if (isAppError(error) && error.code === "PRECONDITION_FAILED")
    throw new AppError("PRECONDITION_FAILED", error.message, { creditPoolId: [error.message] });
  throw error;
}
