import { z } from "zod";
import {
  fleetCsv,
  fleetFilterChoices,
  fleetHealths,
  fleetQueryInput,
  listFleet,
} from "@hubfed/core";
import { clusterRuntimeSchema, hubStatusSchema, pageShape } from "../shapes";
import { requirePermission, router } from "../trpc";

const fleetHub = z.object({
  slug: z.string(),
  status: hubStatusSchema,
  health: z.enum(fleetHealths),
  failingConditions: z.array(z.string()),
  courseSlug: z.string(),
  course: z.string(),
  institutionId: z.string(),
  institution: z.string(),
  region: z.string(),
  cluster: z.string(),
  runtime: clusterRuntimeSchema,
  activeUsers: z.number().nullable(),
  currency: z.string().nullable(),
  spentThisMonthCents: z.bigint(),
  budgetCents: z.bigint().nullable(),
  burnedCents: z.bigint().nullable(),
  budgetUsedPercent: z.number().nullable(),
  runwayDays: z.number().nullable(),
  exhaustionDate: z.date().nullable(),
  lastReconciledAt: z.date().nullable(),
  lastHealthyAt: z.date().nullable(),
});

/** The fleet view (/ops/hubs): ops see every hub, institution admins their institution's. */
export const fleetRouter = router({
  list: requirePermission("fleet.read")
    .input(fleetQueryInput)
    .output(pageShape(fleetHub))
    .query(({ ctx, input }) => listFleet(ctx.db, ctx.actor, input)),

  filterChoices: requirePermission("fleet.read")
    .output(
      z.object({
        institutions: z.array(z.object({ id: z.string(), name: z.string() })),
        regions: z.array(z.object({ slug: z.string(), name: z.string() })),
        statuses: z.array(hubStatusSchema),
        healths: z.array(z.enum(fleetHealths)),
      }),
    )
    .query(({ ctx }) => fleetFilterChoices(ctx.db, ctx.actor)),

  csv: requirePermission("fleet.read")
    .input(fleetQueryInput)
    .output(z.object({ fileName: z.string(), csv: z.string() }))
    .query(({ ctx, input }) => fleetCsv(ctx.db, ctx.actor, input)),
});
