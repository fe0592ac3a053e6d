import { z } from "zod";
import {
  addImportantDate,
  addImportantDateInput,
  decideCapacityWindow,
  decideCapacityWindowInput,
  describeClusterPlans,
  describeCoursePlan,
  describeHubPlan,
  getCourseSchedule,
  listPendingCapacityWindows,
  removeImportantDate,
  requestCapacityWindow,
  requestCapacityWindowInput,
  saveMeetings,
  saveMeetingsInput,
  withdrawCapacityWindow,
} from "@hubfed/core";
import { capacityWindowStatusSchema, importantDateKindSchema } from "../shapes";
import { requirePermission, router } from "../trpc";

// Capacity: a course's calendar after approval (meetings, important dates,
// capacity windows) and ops' decisions on windows beyond a hub's envelope.
// Reading needs course.read, editing course.schedule.manage, deciding
// capacity.review; core checks each again in the course's own scope.

const courseSlug = z.string().min(1).max(80);
const id = z.string().min(1).max(40);

const conflictShape = z.object({
  clusterId: z.string(),
  from: z.date(),
  to: z.date(),
  hubSlugs: z.array(z.string()),
  wantedMemoryMib: z.number(),
  poolMaxMemoryMib: z.number(),
});

const hubPlanShape = z.object({
  hubSlug: z.string(),
  clusterName: z.string(),
  points: z.array(
    z.object({ at: z.date(), plannedSeats: z.number(), activeUsers: z.number().nullable() }),
  ),
  conflicts: z.array(conflictShape),
});

const windowShape = {
  id: z.string(),
  reason: z.string(),
  startsAt: z.date(),
  endsAt: z.date(),
  seats: z.number(),
  memoryMibPerSeat: z.number(),
  estimatedCostCents: z.bigint(),
};

const courseSchedule = z.object({
  course: z.object({
    id: z.string(),
    slug: z.string(),
    code: z.string(),
    title: z.string(),
    institutionId: z.string(),
    timezone: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    expectedEnrollment: z.number(),
    expectedConcurrentUsers: z.number(),
  }),
  canEdit: z.boolean(),
  canReview: z.boolean(),
  envelope: z.object({
    maxSeats: z.number(),
    maxMemoryMibPerSeat: z.number(),
    rule: z.string(),
  }),
  meetings: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      dayOfWeek: z.number(),
      startMinute: z.number(),
      durationMinutes: z.number(),
    }),
  ),
  importantDates: z.array(
    z.object({
      id: z.string(),
      kind: importantDateKindSchema,
      title: z.string(),
      startsAt: z.date(),
      endsAt: z.date().nullable(),
    }),
  ),
  capacityWindows: z.array(
    z.object({
      ...windowShape,
      status: capacityWindowStatusSchema,
      requestedBy: z.string().nullable(),
      decidedBy: z.string().nullable(),
      decidedAt: z.date().nullable(),
      decisionNote: z.string().nullable(),
    }),
  ),
});

export const capacityRouter = router({
  /** The schedule page: meetings, important dates, capacity windows and the envelope. */
  schedule: requirePermission("course.read")
    .input(z.object({ courseSlug }))
    .output(courseSchedule)
    .query(({ ctx, input }) => getCourseSchedule(ctx.db, ctx.actor, input.courseSlug)),

  saveMeetings: requirePermission("course.schedule.manage")
    .input(saveMeetingsInput)
    .output(z.object({ count: z.number() }))
    .mutation(({ ctx, input }) => saveMeetings(ctx.db, ctx.actor, input, ctx.requestMetadata)),

  addImportantDate: requirePermission("course.schedule.manage")
    .input(addImportantDateInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => addImportantDate(ctx.db, ctx.actor, input, ctx.requestMetadata)),

  removeImportantDate: requirePermission("course.schedule.manage")
    .input(z.object({ courseSlug, dateId: id }))
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) =>
      removeImportantDate(ctx.db, ctx.actor, input, ctx.requestMetadata),
    ),

  requestWindow: requirePermission("course.schedule.manage")
    .input(requestCapacityWindowInput)
    .output(
      z.object({
        id: z.string(),
        status: capacityWindowStatusSchema,
        estimatedCostCents: z.bigint(),
        beyondEnvelope: z.array(z.string()),
      }),
    )
    .mutation(({ ctx, input }) =>
      requestCapacityWindow(ctx.db, ctx.actor, input, ctx.requestMetadata),
    ),

  withdrawWindow: requirePermission("course.schedule.manage")
    .input(z.object({ courseSlug, windowId: id }))
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) =>
      withdrawCapacityWindow(ctx.db, ctx.actor, input, ctx.requestMetadata),
    ),

  /** The course's hubs: warm seats planned against students active, over the week around now. */
  coursePlan: requirePermission("course.read")
    .input(z.object({ courseSlug }))
    .output(
      z.object({
        timeZone: z.string(),
        hubs: z.array(hubPlanShape),
      }),
    )
    .query(({ ctx, input }) => describeCoursePlan(ctx.db, ctx.actor, input.courseSlug)),

  /** One hub's planned seats against active students, for its hub page. */
  hubPlan: requirePermission("hub.read")
    .input(z.object({ hubSlug: z.string().min(1).max(80) }))
    .output(z.object({ timeZone: z.string(), hub: hubPlanShape.nullable() }))
    .query(({ ctx, input }) => describeHubPlan(ctx.db, ctx.actor, input.hubSlug)),

  /** Ops: every cluster's planned memory against its user pool's maximum, next 14 days. */
  clusterPlans: requirePermission("capacity.review")
    .output(
      z.array(
        z.object({
          clusterSlug: z.string(),
          clusterName: z.string(),
          poolName: z.string(),
          points: z.array(
            z.object({
              at: z.date(),
              plannedMemoryGib: z.number(),
              poolMaxMemoryGib: z.number(),
            }),
          ),
          conflicts: z.array(conflictShape),
        }),
      ),
    )
    .query(({ ctx }) => describeClusterPlans(ctx.db, ctx.actor)),

  /** Ops: the windows waiting for a decision, oldest first. */
  pendingWindows: requirePermission("capacity.review")
    .output(
      z.array(
        z.object({
          ...windowShape,
          courseSlug: z.string(),
          courseCode: z.string(),
          courseTitle: z.string(),
          timezone: z.string(),
          requestedBy: z.string().nullable(),
          createdAt: z.date(),
        }),
      ),
    )
    .query(({ ctx }) => listPendingCapacityWindows(ctx.db, ctx.actor)),

  decideWindow: requirePermission("capacity.review")
    .input(decideCapacityWindowInput)
    .output(z.object({ id: z.string(), status: capacityWindowStatusSchema }))
    .mutation(({ ctx, input }) =>
      decideCapacityWindow(ctx.db, ctx.actor, input, ctx.requestMetadata),
    ),
});
