import { hubInterfaces } from "@hubfed/hub-spec";
import { z } from "zod";
import {
  approveChangeRequest,
  approveRequest,
  commentOnRequest,
  createChangeRequest,
  describeRequestOptions,
  getRequestDetail,
  hubChangeRequestSchema,
  hubRequestDraftSchema,
  listApprovalOptions,
  listMyRequests,
  listReviewQueue,
  pageInput,
  previewApproval,
  rejectRequest,
  requestChanges,
  saveDraft,
  submitRequest,
  withdrawRequest,
} from "@hubfed/core";
import { hubStatusSchema, pageShape, requestKindSchema, requestStatusSchema } from "../shapes";
import { requirePermission, router, signedInProcedure } from "../trpc";

const requestId = z.object({ requestId: z.string().min(1).max(40) });
const message = z
  .string()
  .trim()
  .min(1, "is required")
  .max(5_000, "must be at most 5000 characters");
const savedRequest = z.object({ id: z.string(), status: requestStatusSchema, updatedAt: z.date() });
const estimate = z.object({
  totalCents: z.bigint(),
  perStudentMonthCents: z.union([z.bigint(), z.number()]),
  assumptions: z.array(z.string()),
});
const pricing = z.object({
  currency: z.string(),
  userNode: z.object({
    machineType: z.string(),
    vcpu: z.number(),
    memoryMib: z.number(),
    hourlyPriceMicros: z.number(),
  }),
  storagePerGibMonthMicros: z.number(),
});

/** What every list of requests shows (my requests, the ops queue). */
const requestSummary = z.object({
  id: z.string(),
  kind: requestKindSchema,
  status: requestStatusSchema,
  courseCode: z.string().nullable(),
  courseTitle: z.string().nullable(),
  courseStartDate: z.date().nullable(),
  estimateTotalCents: z.bigint().nullable(),
});

function toSaved(request: {
  id: string;
  status: z.infer<typeof requestStatusSchema>;
  updatedAt: Date;
}) {
  return { id: request.id, status: request.status, updatedAt: request.updatedAt };
}

export const requestRouter = router({
  /** What the form offers: regions, clouds, images, defaults and prices (for the live estimate). */
  options: signedInProcedure
    .input(z.void())
    .output(
      z.array(
        z.object({
          slug: z.string(),
          name: z.string(),
          currency: z.string(),
          clouds: z.array(z.enum(["aws", "gcp", "azure", "onprem"])),
          images: z.array(
            z.object({ name: z.string(), image: z.string(), description: z.string() }),
          ),
          unavailableInterfaces: z.partialRecord(z.enum(hubInterfaces), z.string()),
          defaults: z.object({
            interface: z.enum(hubInterfaces),
            memoryGuaranteeMib: z.number(),
            memoryLimitMib: z.number(),
            cpuGuaranteeMilli: z.number(),
            cpuLimitMilli: z.number(),
            storageGib: z.number(),
          }),
          pricingByCloud: z.record(z.string(), pricing),
        }),
      ),
    )
    .query(({ ctx }) => describeRequestOptions(ctx.db)),

  saveDraft: signedInProcedure
    .input(
      z.object({
        requestId: z.string().min(1).max(40).optional(),
        draft: hubRequestDraftSchema,
        // Fields left out because their value is not valid yet: their saved value is kept.
        withheldPaths: z
          .array(
            z
              .string()
              .regex(/^[a-zA-Z]+(\.[a-zA-Z]+)*$/)
              .max(80),
          )
          .max(60)
          .optional(),
      }),
    )
    .output(savedRequest)
    .mutation(async ({ ctx, input }) => toSaved(await saveDraft(ctx, input))),

  submit: signedInProcedure
    .input(requestId)
    .output(savedRequest)
    .mutation(async ({ ctx, input }) => toSaved(await submitRequest(ctx, input))),

  withdraw: signedInProcedure
    .input(requestId)
    .output(savedRequest)
    .mutation(async ({ ctx, input }) => toSaved(await withdrawRequest(ctx, input))),

  comment: signedInProcedure
    .input(requestId.extend({ body: message }))
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => ({ id: (await commentOnRequest(ctx, input)).id })),

  get: signedInProcedure
    .input(requestId)
    .output(
      z.object({
        id: z.string(),
        kind: requestKindSchema,
        status: requestStatusSchema,
        form: z.record(z.string(), z.unknown()),
        courseCode: z.string().nullable(),
        courseTitle: z.string().nullable(),
        courseStartDate: z.date().nullable(),
        requester: z.object({
          id: z.string(),
          name: z.string().nullable(),
          email: z.string().nullable(),
        }),
        institution: z.object({ id: z.string(), name: z.string(), slug: z.string() }).nullable(),
        /** A new institution's email domains: the requester's own verified one? held already? */
        domainClaims: z
          .array(
            z.object({
              domain: z.string(),
              isRequesterDomain: z.boolean(),
              claimedBy: z.object({ slug: z.string(), name: z.string() }).nullable(),
            }),
          )
          .nullable(),
        preferredRegion: z.object({ slug: z.string(), name: z.string() }).nullable(),
        estimate: estimate.nullable(),
        decision: z
          .object({
            decidedAt: z.date(),
            decidedBy: z.string().nullable(),
            note: z.string().nullable(),
            cluster: z.object({ slug: z.string(), displayName: z.string() }).nullable(),
            creditPool: z
              .object({ slug: z.string(), name: z.string(), currency: z.string() })
              .nullable(),
          })
          .nullable(),
        course: z.object({ slug: z.string(), code: z.string(), title: z.string() }).nullable(),
        hub: z
          .object({
            slug: z.string(),
            status: hubStatusSchema,
            statusReason: z.string().nullable(),
            url: z.string().nullable(),
          })
          .nullable(),
        hold: z
          .object({
            amountCents: z.bigint(),
            pool: z.object({ slug: z.string(), name: z.string(), currency: z.string() }).nullable(),
            expiresAt: z.date().nullable(),
            state: z.enum([
              "HELD",
              "POST_PENDING",
              "VOID_PENDING",
              "EXPIRE_PENDING",
              "SINGLE",
              "PENDING",
            ]),
          })
          .nullable(),
        history: z.array(
          z.object({
            from: requestStatusSchema.nullable(),
            to: requestStatusSchema,
            at: z.date(),
            by: z.string(),
            note: z.string().nullable(),
          }),
        ),
        comments: z.array(
          z.object({
            id: z.string(),
            body: z.string(),
            at: z.date(),
            author: z.string(),
            isFromOperator: z.boolean(),
            isMine: z.boolean(),
          }),
        ),
        isMine: z.boolean(),
      }),
    )
    .query(({ ctx, input }) => getRequestDetail(ctx.db, ctx.actor, input.requestId)),

  mine: signedInProcedure
    .input(z.void())
    .output(z.array(requestSummary.extend({ updatedAt: z.date() })))
    .query(({ ctx }) => listMyRequests(ctx.db, ctx.actor)),

  /** A change to a running hub, reviewed like a new request. */
  requestHubChange: requirePermission("hub.change.request")
    .input(hubChangeRequestSchema)
    .output(savedRequest)
    .mutation(async ({ ctx, input }) => toSaved(await createChangeRequest(ctx, input))),

  queue: requirePermission("request.review")
    .input(
      pageInput.extend({
        statuses: z.array(requestStatusSchema).max(6).optional(),
        regionSlug: z.string().max(40).optional(),
        search: z.string().max(100).optional(),
        sort: z.enum(["start-date-asc", "start-date-desc", "submitted-asc"]).optional(),
      }),
    )
    .output(
      pageShape(
        requestSummary.extend({
          institution: z.string().nullable(),
          requester: z.string().nullable(),
          region: z.string().nullable(),
          submittedAt: z.date().nullable(),
        }),
      ),
    )
    .query(({ ctx, input }) => listReviewQueue(ctx.db, ctx.actor, input)),

  approvalOptions: requirePermission("request.review")
    .input(z.void())
    .output(
      z.object({
        clusters: z.array(
          z.object({
            id: z.string(),
            slug: z.string(),
            displayName: z.string(),
            region: z.string(),
            cloudId: z.string().nullable(),
            provider: z.string().nullable(),
          }),
        ),
        pools: z.array(
          z.object({
            id: z.string(),
            slug: z.string(),
            name: z.string(),
            region: z.string(),
            cloudId: z.string(),
            currency: z.string(),
            availableCents: z.bigint(),
            expiresAt: z.date(),
          }),
        ),
      }),
    )
    .query(({ ctx }) => listApprovalOptions(ctx.db, ctx.actor)),

  previewApproval: requirePermission("request.review")
    .input(requestId.extend({ clusterId: z.string().min(1).max(40) }))
    .output(
      z.object({
        totalCents: z.bigint(),
        perStudentMonthCents: z.bigint(),
        assumptions: z.array(z.string()),
      }),
    )
    .query(({ ctx, input }) => previewApproval(ctx.db, ctx.actor, input)),

  approve: requirePermission("request.review")
    .input(
      requestId.extend({
        clusterId: z.string().min(1).max(40),
        creditPoolId: z.string().min(1).max(40),
        note: z.string().trim().max(5_000).optional(),
        /** Required when the request founds a new institution: the domains ops confirmed. */
        confirmedEmailDomains: z.array(z.string().trim().max(253)).max(20).optional(),
      }),
    )
    .output(z.object({ requestId: z.string(), hubSlug: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const { request, hub } = await approveRequest(ctx, input);
      return { requestId: request.id, hubSlug: hub.slug };
    }),

  approveChange: requirePermission("request.review")
    .input(requestId.extend({ note: z.string().trim().max(5_000).optional() }))
    .output(savedRequest)
    .mutation(async ({ ctx, input }) => toSaved(await approveChangeRequest(ctx, input))),

  requestChanges: requirePermission("request.review")
    .input(requestId.extend({ message }))
    .output(savedRequest)
    .mutation(async ({ ctx, input }) => toSaved(await requestChanges(ctx, input))),

  reject: requirePermission("request.review")
    .input(requestId.extend({ reason: message }))
    .output(savedRequest)
    .mutation(async ({ ctx, input }) =>
      toSaved(await rejectRequest(ctx, { requestId: input.requestId, reason: input.reason })),
    ),
});
