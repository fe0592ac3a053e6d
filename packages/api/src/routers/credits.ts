import { z } from "zod";
import {
  allocateToInstitution,
  createCreditPool,
  describeCourseSpend,
  describeCredits,
  spendCsvFor,
  maxAmountCents,
  topUpHubAllocation,
  createHubBudgetSwitch,
  topUpPool,
  transferBetweenAllocations,
} from "@hubfed/core";
import {
  courseSlugSchema,
  creditSourceSchema,
  hubStatusSchema,
  limitPolicySchema,
  usagePostingProblemKindSchema,
} from "../shapes";
import { requirePermission, router } from "../trpc";

// The API's first check; core's parseAmountCents (the one amount rule) checks again.
const cents = z
  .bigint()
  .positive("must be positive")
  .max(maxAmountCents, `must be at most ${maxAmountCents} cents`);
const idempotencyKey = z.string().min(8).max(80);
const id = z.string().min(1).max(40);
const burnPoint = z.object({
  day: z.date(),
  burnedCents: z.bigint(),
  forecastCents: z.bigint().optional(),
});

/** A hub allocation as a course's page shows it: budget, spend, forecast. */
const courseAllocation = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  hubSlug: z.string().nullable(),
  hubStatus: hubStatusSchema.nullable(),
  limitPolicy: limitPolicySchema,
  suspendGraceHours: z.number(),
  budgetCents: z.bigint(),
  burnedCents: z.bigint(),
  heldCents: z.bigint(),
  owedCents: z.bigint(),
  burnedPercent: z.number(),
  dailyBurnCents: z.bigint(),
  exhaustionDate: z.date().nullable(),
  forecastUntil: z.date().nullable(),
  series: z.array(burnPoint),
});

export const creditsRouter = router({
  /** A course's spend against its allocation, with the forecast (instructors: their course's). */
  courseSpend: requirePermission("course.spend.read")
    .input(z.object({ courseSlug: courseSlugSchema }))
    .output(z.object({ allocations: z.array(courseAllocation) }))
    .query(({ ctx, input }) => describeCourseSpend(ctx.db, ctx.actor, input.courseSlug)),
  /** A month's spend per hub as CSV, scoped to what the caller may see (ops: all; institution admins: theirs). */
  spendCsv: requirePermission("credits.read")
    .input(z.object({ month: z.string().max(20) }))
    .output(z.object({ month: z.string(), csv: z.string() }))
    .query(({ ctx, input }) => spendCsvFor(ctx.db, ctx.actor, input.month)),
  overview: requirePermission("credits.read")
    .input(z.void())
    .output(
      z.object({
        pools: z.array(
          z.object({
            id: z.string(),
            slug: z.string(),
            name: z.string(),
            region: z.string(),
            provider: z.string(),
            source: z.string(),
            currency: z.string(),
            grantedCents: z.bigint(),
            availableCents: z.bigint(),
            heldCents: z.bigint(),
            spentCents: z.bigint(),
            expiresAt: z.date(),
            dailyBurnCents: z.bigint(),
            exhaustionDate: z.date().nullable(),
            runsOutBeforeExpiry: z.boolean(),
            series: z.array(burnPoint),
          }),
        ),
        allocations: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            institution: z.string(),
            pool: z.string(),
            currency: z.string(),
            hubSlug: z.string().nullable(),
            hubStatus: hubStatusSchema.nullable(),
            course: z.string().nullable(),
            limitPolicy: limitPolicySchema,
            budgetCents: z.bigint(),
            burnedCents: z.bigint(),
            heldCents: z.bigint(),
            owedCents: z.bigint(),
            burnedPercent: z.number(),
            costPerStudentMonthCents: z.bigint().nullable(),
            exhaustionDate: z.date().nullable(),
            forecastUntil: z.date().nullable(),
            series: z.array(burnPoint),
          }),
        ),
        postingProblems: z.array(
          z.object({
            hubSlug: z.string(),
            day: z.date(),
            kind: usagePostingProblemKindSchema,
            costCents: z.bigint(),
            currency: z.string(),
            attempts: z.number(),
            lastFailedAt: z.date(),
            error: z.string().nullable(),
          }),
        ),
        institutions: z.array(z.object({ id: z.string(), name: z.string() })),
        institutionAllocations: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            currency: z.string(),
            budgetCents: z.bigint(),
            availableCents: z.bigint(),
          }),
        ),
      }),
    )
    .query(({ ctx }) => describeCredits(ctx.db, ctx.actor)),

  createPool: requirePermission("credits.manage")
    .input(
      z.object({
        slug: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{1,60}$/, "must be lowercase letters, digits and dashes"),
        name: z.string().trim().min(1).max(200),
        regionSlug: z.string().min(1).max(40),
        cloudSlug: z.string().min(1).max(40),
        source: creditSourceSchema,
        amountCents: cents,
        startsAt: z.date(),
        expiresAt: z.date(),
        note: z.string().max(2_000).optional(),
      }),
    )
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => ({
      id: (await createCreditPool(ctx.db, ctx.actor, input)).id,
    })),

  topUpPool: requirePermission("credits.manage")
    .input(
      z.object({
        poolId: id,
        amountCents: cents,
        idempotencyKey,
        note: z.string().max(2_000).optional(),
      }),
    )
    .output(z.object({ transferId: z.string() }))
    .mutation(async ({ ctx, input }) => ({
      transferId: (await topUpPool(ctx.db, ctx.actor, input)).id,
    })),

  allocateToInstitution: requirePermission("credits.manage")
    .input(
      z.object({
        poolId: id,
        institutionId: id,
        amountCents: cents,
        idempotencyKey,
        limitPolicy: limitPolicySchema.optional(),
      }),
    )
    .output(z.object({ allocationId: z.string() }))
    .mutation(async ({ ctx, input }) => ({
      allocationId: (await allocateToInstitution(ctx.db, ctx.actor, input)).id,
    })),

  transferBetweenAllocations: requirePermission("credits.manage")
    .input(
      z.object({ fromAllocationId: id, toAllocationId: id, amountCents: cents, idempotencyKey }),
    )
    .output(z.object({ transferId: z.string() }))
    .mutation(async ({ ctx, input }) => ({
      transferId: (await transferBetweenAllocations(ctx.db, ctx.actor, input)).id,
    })),

  topUpHubAllocation: requirePermission("credits.manage")
    .input(z.object({ allocationId: id, amountCents: cents, idempotencyKey }))
    .output(z.object({ budgetCents: z.bigint() }))
    .mutation(async ({ ctx, input }) => ({
      budgetCents: (
        await topUpHubAllocation(ctx.db, ctx.actor, input, createHubBudgetSwitch(ctx.queues))
      ).budgetCents,
    })),
});
