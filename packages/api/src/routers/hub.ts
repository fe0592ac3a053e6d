import { z } from "zod";
import {
  getHubDetail,
  hubActionReasonLength,
  hubActions,
  takeHubAction,
  type HubAction,
} from "@hubfed/core";
import {
  clusterRuntimeSchema,
  conditionStatusSchema,
  hubStatusDescriptionSchema,
  hubStatusSchema,
  runStatusSchema,
} from "../shapes";
import { requirePermission, router } from "../trpc";

const slug = z.object({ slug: z.string().min(1).max(80) });
const hubActionSchema = z.enum(hubActions);

/** Every hub action takes the hub and a reason, which the course's staff are told. */
const actionInput = slug.extend({
  reason: z
    .string()
    .trim()
    .min(
      hubActionReasonLength.min,
      `Say why in a few words (at least ${hubActionReasonLength.min} characters)`,
    )
    .max(hubActionReasonLength.max, `Keep it under ${hubActionReasonLength.max} characters`),
});
const actionOutput = z.object({
  action: hubActionSchema,
  status: hubStatusSchema,
  jobId: z.string(),
});

/** One procedure per action: its own permission tier, the same core call. */
function hubActionProcedure(action: HubAction) {
  return requirePermission(
    action === "suspend" || action === "resume" ? "hub.suspend" : "hub.operate",
  )
    .input(actionInput)
    .output(actionOutput)
    .mutation(({ ctx, input }) =>
      takeHubAction(ctx.db, ctx.actor, ctx.queues, { action, ...input }),
    );
}

export const hubRouter = router({
  get: requirePermission("hub.read")
    .input(slug)
    .output(
      z.object({
        slug: z.string(),
        status: hubStatusSchema,
        isOperatorView: z.boolean(),
        staffStatus: hubStatusDescriptionSchema,
        statusReason: z.string().nullable(),
        url: z.string().nullable(),
        specRevision: z.number(),
        appliedRevision: z.number().nullable(),
        lastHealthyAt: z.date().nullable(),
        course: z.string(),
        institution: z.string(),
        cluster: z.string(),
        runtime: clusterRuntimeSchema,
        requestId: z.string().nullable(),
        historyHref: z.string().nullable(),
        actions: z.array(hubActionSchema),
        suspension: z
          .object({ cause: z.string(), reason: z.string().nullable(), since: z.date() })
          .nullable(),
        canRequestChange: z.boolean(),
        current: z.object({
          memoryGuaranteeMib: z.number(),
          memoryLimitMib: z.number(),
          cpuGuaranteeMilli: z.number(),
          cpuLimitMilli: z.number(),
          storageGib: z.number(),
          image: z.string(),
          isAutograderEnabled: z.boolean(),
          courseEndDate: z.string(),
        }),
        conditions: z.array(
          z.object({
            type: z.string(),
            status: conditionStatusSchema,
            reason: z.string(),
            message: z.string().nullable(),
            lastTransitionAt: z.date(),
          }),
        ),
        runs: z.array(
          z.object({
            id: z.string(),
            trigger: z.string(),
            status: runStatusSchema,
            specRevision: z.number(),
            error: z.string().nullable(),
            startedAt: z.date().nullable(),
            finishedAt: z.date().nullable(),
            steps: z.array(
              z.object({
                name: z.string(),
                status: runStatusSchema,
                detail: z.string().nullable(),
                error: z.string().nullable(),
                startedAt: z.date().nullable(),
                finishedAt: z.date().nullable(),
              }),
            ),
          }),
        ),
      }),
    )
    .query(({ ctx, input }) => getHubDetail(ctx.db, ctx.actor, input.slug)),

  /** Stop the hub (servers stopped, files kept); ops and the institution's admins. */
  suspend: hubActionProcedure("suspend"),
  /** Start a suspended hub again. */
  resume: hubActionProcedure("resume"),
  /** Decommission: stop it for good, archive the homes, release the unused credit. */
  retire: hubActionProcedure("retire"),
  /** Restart its JupyterHub. */
  restart: hubActionProcedure("restart"),
  /** Provision again (a failed hub) or reconcile now. */
  retry: hubActionProcedure("retry"),
});
