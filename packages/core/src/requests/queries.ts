import { can, type Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient, HubRequestStatus, Prisma } from "@hubfed/db";
import { availableCents } from "../credits";
import { describeHubStatusForStaff } from "../hubs";
import { AppError } from "../errors";
import { offsetOf, pageInput, pageOf, type PageInput } from "../paging";
import { describeDomainClaims } from "../institutions/domain-claims";
import { assertCanReview, assertCanViewRequest } from "./access";
import { hubRequestDraftSchema, validateForSubmission } from "./form";
import { pricingOfCluster } from "../pricing/region-pricing";
import { estimateForm, findClusterForApproval } from "./placement";

/** A request with everything its detail page shows: estimate, history, messages, and the hub and hold once approved. */
export async function getRequestDetail(db: DatabaseClient, actor: Actor, requestId: string) {
  const request = await db.hubRequest.findUnique({
    where: { id: requestId },
    include: {
      requester: { select: { id: true, name: true, email: true } },
      institution: { select: { id: true, name: true, slug: true } },
      preferredRegion: { select: { slug: true, name: true } },
      cluster: { select: { slug: true, displayName: true } },
      creditPool: { select: { slug: true, name: true, currency: true } },
      course: { select: { slug: true, code: true, title: true } },
      hub: {
        select: {
          id: true,
          slug: true,
          status: true,
          statusReason: true,
          url: true,
          allocation: { select: { ledgerAccountId: true, budgetCents: true } },
        },
      },
      decidedBy: { select: { name: true } },
      transitions: {
        orderBy: { createdAt: "asc" },
        include: { actor: { select: { name: true } } },
      },
      comments: {
        orderBy: { createdAt: "asc" },
        include: { author: { select: { id: true, name: true, isOperator: true } } },
      },
    },
  });
  if (!request) throw new AppError("NOT_FOUND", "Request not found");
  assertCanViewRequest(actor, request);
  const holdAccountId = request.hub?.allocation?.ledgerAccountId;
  const hold = holdAccountId
    ? await db.ledgerTransfer.findFirst({
        where: { creditAccountId: holdAccountId, kind: "PENDING" },
        include: { resolution: { select: { kind: true } } },
      })
    : null;
  const draft = hubRequestDraftSchema.safeParse(request.form);
  // A new institution's domains, as ops confirm them: the requester's own? held already?
  const domainClaims =
    request.kind === "NEW_HUB" && !request.institutionId && !request.decidedAt
      ? await describeDomainClaims(db, {
          requesterId: request.requesterId,
          domains: draft.success ? (draft.data.institution?.emailDomains ?? []) : [],
        })
      : null;
  return {
    id: request.id,
    kind: request.kind,
    status: request.status,
    form: draft.success ? draft.data : {},
    courseCode: request.courseCode,
    courseTitle: request.courseTitle,
    courseStartDate: request.courseStartDate,
    requester: request.requester,
    institution: request.institution,
    domainClaims,
    preferredRegion: request.preferredRegion,
    estimate:
      request.estimateTotalCents === null
        ? null
        : {
            totalCents: request.estimateTotalCents,
            perStudentMonthCents: request.estimatePerStudentMonthCents ?? 0,
            assumptions: Array.isArray(request.estimateAssumptions)
              ? (request.estimateAssumptions as string[])
              : [],
          },
    decision: request.decidedAt
      ? {
          decidedAt: request.decidedAt,
          decidedBy: request.decidedBy?.name ?? null,
          note: request.decisionNote,
          cluster: request.cluster,
          creditPool: request.creditPool,
        }
      : null,
    course: request.course,
    hub: request.hub
      ? {
          slug: request.hub.slug,
          status: request.hub.status,
          // The raw reason can hold a failed step's error (paths, ports, hosts): ops only. The
          // requester and the institution's admins read what the status means for the class.
          statusReason: can(actor, "hub.operate")
            ? request.hub.statusReason
            : describeHubStatusForStaff(request.hub.status).explanation,
          url: request.hub.url,
        }
      : null,
    hold: hold
      ? {
          amountCents: hold.amountCents,
          pool: request.creditPool,
          expiresAt: hold.expiresAt,
          state: hold.resolution ? hold.resolution.kind : ("HELD" as const),
        }
      : null,
    history: request.transitions.map((transition) => ({
      from: transition.fromStatus,
      to: transition.toStatus,
      at: transition.createdAt,
      by: transition.actor?.name ?? "system",
      note: transition.note,
    })),
    comments: request.comments.map((comment) => ({
      id: comment.id,
      body: comment.body,
      at: comment.createdAt,
      author: comment.author.name ?? "someone",
      isFromOperator: comment.author.isOperator,
      isMine: comment.author.id === actor.userId,
    })),
    isMine: request.requesterId === actor.userId,
  };
}

export async function listMyRequests(db: DatabaseClient, actor: Actor) {
  const requests = await db.hubRequest.findMany({
    // A draft discarded before it was ever submitted is gone from the person's list
    // (its row and history stay for the audit trail).
    where: { requesterId: actor.userId, NOT: { status: "WITHDRAWN", submittedAt: null } },
    orderBy: { updatedAt: "desc" },
    select: {
      id: true,
      kind: true,
      status: true,
      courseCode: true,
      courseTitle: true,
      courseStartDate: true,
      updatedAt: true,
      estimateTotalCents: true,
    },
  });
  return requests;
}

export interface ReviewQueueFilter extends Partial<PageInput> {
  statuses?: HubRequestStatus[];
  regionSlug?: string;
  search?: string;
  sort?: "start-date-asc" | "start-date-desc" | "submitted-asc";
}

/**
 * The ops queue: submitted requests first by default, filterable, sorted by
 * course start date, a page at a time with the total (a long queue is paged,
 * never cut off).
 */
export async function listReviewQueue(db: DatabaseClient, actor: Actor, filter: ReviewQueueFilter) {
  assertCanReview(actor);
  const page = pageInput.parse({ page: filter.page, pageSize: filter.pageSize });
  const where: Prisma.HubRequestWhereInput = {
    status: { in: filter.statuses?.length ? filter.statuses : ["SUBMITTED"] },
    ...(filter.regionSlug ? { preferredRegion: { slug: filter.regionSlug } } : {}),
    ...(filter.search
      ? {
          OR: [
            { courseCode: { contains: filter.search, mode: "insensitive" } },
            { courseTitle: { contains: filter.search, mode: "insensitive" } },
            { institution: { name: { contains: filter.search, mode: "insensitive" } } },
          ],
        }
      : {}),
  };
  const orderBy: Prisma.HubRequestOrderByWithRelationInput[] =
    filter.sort === "submitted-asc"
      ? [{ submittedAt: "asc" }]
      : [
          {
            courseStartDate: {
              sort: filter.sort === "start-date-desc" ? "desc" : "asc",
              nulls: "last",
            },
          },
          { submittedAt: "asc" },
        ];
  const [total, requests] = await Promise.all([
    db.hubRequest.count({ where }),
    db.hubRequest.findMany({
      where,
      orderBy: [...orderBy, { id: "asc" }],
      skip: offsetOf(page),
      take: page.pageSize,
      include: {
        institution: { select: { name: true } },
        requester: { select: { name: true, email: true } },
        preferredRegion: { select: { slug: true } },
      },
    }),
  ]);
  const items = requests.map((request) => ({
    id: request.id,
    kind: request.kind,
    status: request.status,
    courseCode: request.courseCode,
    courseTitle: request.courseTitle,
    courseStartDate: request.courseStartDate,
    institution:
      request.institution?.name ??
      hubRequestDraftSchema.safeParse(request.form).data?.institution?.name ??
      null,
    requester: request.requester.name ?? request.requester.email,
    region: request.preferredRegion?.slug ?? null,
    estimateTotalCents: request.estimateTotalCents,
    submittedAt: request.submittedAt,
  }));
  return pageOf(items, total, page);
}

/** What ops choose from when approving: schedulable clusters and the pools that can pay for each. */
export async function listApprovalOptions(db: DatabaseClient, actor: Actor) {
  assertCanReview(actor);
  const [clusters, pools] = await Promise.all([
    db.cluster.findMany({
      where: { isSchedulable: true },
      include: {
        region: { select: { slug: true } },
        cloud: { select: { id: true, provider: true } },
      },
      orderBy: [{ region: { slug: "asc" } }, { slug: "asc" }],
    }),
    db.creditPool.findMany({
      include: { ledgerAccount: true, region: { select: { slug: true } } },
      orderBy: { slug: "asc" },
    }),
  ]);
  return {
    clusters: clusters.map((cluster) => ({
      id: cluster.id,
      slug: cluster.slug,
      displayName: cluster.displayName,
      region: cluster.region.slug,
      cloudId: cluster.cloud?.id ?? null,
      provider: cluster.cloud?.provider ?? null,
    })),
    pools: pools.map((pool) => ({
      id: pool.id,
      slug: pool.slug,
      name: pool.name,
      region: pool.region.slug,
      cloudId: pool.cloudId,
      currency: pool.currency,
      availableCents: availableCents(pool.ledgerAccount),
      expiresAt: pool.expiresAt,
    })),
  };
}

/** The estimate a request would be held for on `clusterId`, before ops approve. */
export async function previewApproval(
  db: DatabaseClient,
  actor: Actor,
  { requestId, clusterId }: { requestId: string; clusterId: string },
) {
  assertCanReview(actor);
  const request = await db.hubRequest.findUnique({ where: { id: requestId } });
  if (!request) throw new AppError("NOT_FOUND", "Request not found");
  const { form, fieldErrors } = validateForSubmission(request.form);
  if (!form) throw new AppError("BAD_REQUEST", "The request's form is incomplete", fieldErrors);
  const estimate = estimateForm(
    form,
    pricingOfCluster(await findClusterForApproval(db, clusterId)),
  );
  return {
    totalCents: estimate.totalCents,
    perStudentMonthCents: estimate.perStudentMonthCents,
    assumptions: estimate.assumptions,
  };
}
