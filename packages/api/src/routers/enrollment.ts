import { z } from "zod";
import {
  acceptCourseInvitation,
  changeCourseRole,
  changeCourseRoleInput,
  commitRosterImport,
  createCourseInvitation,
  createInvitationInput,
  createJoinCode,
  createJoinCodeInput,
  describeCourseForStaff,
  describeInvitationByToken,
  consumeRateLimit,
  describeJoinCodeFor,
  joinCodeRateLimit,
  getCourseOverview,
  joinWithCode,
  launchCourseHub,
  leaveCourse,
  listCourseInvitations,
  listHubAccessChanges,
  listJoinCodes,
  listMyInvitations,
  listRoster,
  rosterQueryInput,
  previewRosterImport,
  revokeCourseInvitation,
  retryHubAccessChange,
  revokeJoinCode,
  rosterCommitInput,
  rosterPreviewInput,
  unenrollFromCourse,
} from "@hubfed/core";
import {
  courseRoleSchema,
  hubStatusDescriptionSchema,
  hubStatusSchema,
  pageShape,
} from "../shapes";
import { requirePermission, router, signedInProcedure } from "../trpc";

// Enrollment: join codes, roster import, staff invitations, unenrolling.
// Management needs enrollment.manage and reading course.read, each checked
// again in core against the course's own scope.

const courseSlug = z.string().min(1).max(80);
const id = z.string().min(1).max(40);

const joinCodeSummary = z.object({
  id: z.string(),
  code: z.string(),
  role: courseRoleSchema,
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  maxUses: z.number().nullable(),
  useCount: z.number(),
  boundEmails: z.array(z.string()),
  createdAt: z.date(),
  createdBy: z.string().nullable(),
  state: z.enum(["active", "expired", "revoked", "used-up"]),
  path: z.string(),
});

const invitationSummary = z.object({
  id: z.string(),
  email: z.string(),
  role: courseRoleSchema,
  expiresAt: z.date(),
  createdAt: z.date(),
  acceptedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  invitedBy: z.string().nullable(),
  state: z.enum(["pending", "accepted", "revoked", "expired"]),
});

const coursePreview = z.object({
  slug: z.string(),
  code: z.string(),
  title: z.string(),
  term: z.string(),
  institution: z.string(),
});

const previewRow = z.object({
  line: z.number(),
  email: z.string(),
  name: z.string().nullable(),
  outcome: z.enum(["create-and-enroll", "enroll", "already-enrolled", "error"]),
  errors: z.array(z.string()),
});

/** A course as the header of its staff pages names it. */
const courseHeader = z.object({
  id: z.string(),
  slug: z.string(),
  code: z.string(),
  title: z.string(),
  term: z.string(),
  institutionId: z.string(),
  institutionName: z.string(),
});

export const enrollmentRouter = router({
  /** The header of a course's staff pages, and whether the actor may manage its enrollment. */
  staffCourse: requirePermission("course.read")
    .input(z.object({ courseSlug }))
    .output(
      z.object({
        course: courseHeader,
        canManage: z.boolean(),
      }),
    )
    .query(({ ctx, input }) => describeCourseForStaff(ctx.db, ctx.actor, input.courseSlug)),

  overview: requirePermission("course.read")
    .input(z.object({ courseSlug }))
    .output(
      z.object({
        course: courseHeader.extend({
          startDate: z.date(),
          endDate: z.date(),
          expectedEnrollment: z.number(),
        }),
        schedule: z.object({
          timezone: z.string(),
          meetings: z.array(
            z.object({
              label: z.string(),
              dayOfWeek: z.number(),
              startMinute: z.number(),
              durationMinutes: z.number(),
            }),
          ),
          importantDates: z.array(
            z.object({
              kind: z.string(),
              title: z.string(),
              startsAt: z.date(),
              endsAt: z.date().nullable(),
            }),
          ),
        }),
        canManage: z.boolean(),
        canReadHubs: z.boolean(),
        hubs: z.array(
          z.object({
            slug: z.string(),
            status: hubStatusSchema,
            statusDescription: hubStatusDescriptionSchema,
            url: z.string().nullable(),
            weight: z.number(),
            lastActivityAt: z.date().nullable(),
            location: z.string(),
            placedCount: z.number(),
          }),
        ),
        enrollment: z.object({ students: z.number(), tas: z.number(), instructors: z.number() }),
        joinCodes: z.array(joinCodeSummary),
      }),
    )
    .query(({ ctx, input }) => getCourseOverview(ctx.db, ctx.actor, input.courseSlug)),

  roster: requirePermission("course.read")
    .input(rosterQueryInput)
    .output(
      pageShape(
        z.object({
          enrollmentId: z.string(),
          userId: z.string(),
          name: z.string().nullable(),
          email: z.string().nullable(),
          username: z.string(),
          role: courseRoleSchema,
          enrolledAt: z.date(),
          lastLaunchedAt: z.date().nullable(),
        }),
      ).extend({
        canManage: z.boolean(),
        counts: z.object({ INSTRUCTOR: z.number(), TA: z.number(), STUDENT: z.number() }),
      }),
    )
    // The output shape leaves out the course record listRoster loaded.
    .query(({ ctx, input }) => listRoster(ctx.db, ctx.actor, input)),

  joinCodes: requirePermission("enrollment.manage")
    .input(z.object({ courseSlug }))
    .output(z.array(joinCodeSummary))
    .query(({ ctx, input }) => listJoinCodes(ctx.db, ctx.actor, input.courseSlug)),

  createJoinCode: requirePermission("enrollment.manage")
    .input(createJoinCodeInput)
    .output(joinCodeSummary)
    .mutation(({ ctx, input }) => createJoinCode(ctx.db, ctx.actor, input, ctx.requestMetadata)),

  revokeJoinCode: requirePermission("enrollment.manage")
    .input(z.object({ courseSlug, joinCodeId: id }))
    .output(joinCodeSummary)
    .mutation(({ ctx, input }) => revokeJoinCode(ctx.db, ctx.actor, input, ctx.requestMetadata)),

  /** What /join/<code> shows before joining. */
  describeJoinCode: signedInProcedure
    .input(z.object({ code: z.string().min(1).max(40) }))
    .output(
      z.union([
        z.object({ state: z.literal("unknown") }),
        z.object({
          state: z.enum(["active", "expired", "revoked", "used-up"]),
          message: z.string().nullable(),
          /** False when the code is bound to other people's addresses. */
          isForSignedInPerson: z.boolean(),
          role: courseRoleSchema,
          enrolledAs: courseRoleSchema.nullable(),
          course: coursePreview,
        }),
      ]),
    )
    .query(async ({ ctx, input }) => {
      await consumeRateLimit(ctx.redis, joinCodeRateLimit, ctx.actor.userId);
      return describeJoinCodeFor(ctx.db, ctx.actor, input.code);
    }),

  join: signedInProcedure
    .input(z.object({ code: z.string().min(1, "Enter the join code").max(40) }))
    .output(
      z.object({
        outcome: z.enum(["enrolled", "already-enrolled"]),
        courseSlug: z.string(),
        role: courseRoleSchema,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await consumeRateLimit(ctx.redis, joinCodeRateLimit, ctx.actor.userId);
      return joinWithCode(ctx.db, ctx.actor, input.code, ctx.requestMetadata);
    }),

  previewRoster: requirePermission("enrollment.manage")
    .input(rosterPreviewInput)
    .output(
      z.object({
        digest: z.string(),
        rows: z.array(previewRow),
        ignoredColumns: z.array(z.string()),
        counts: z.object({
          "create-and-enroll": z.number(),
          enroll: z.number(),
          "already-enrolled": z.number(),
          error: z.number(),
        }),
      }),
    )
    // A mutation although it changes nothing: the CSV can be a megabyte,
    // too much for a GET query string.
    .mutation(({ ctx, input }) => previewRosterImport(ctx.db, ctx.actor, input)),

  importRoster: requirePermission("enrollment.manage")
    .input(rosterCommitInput)
    .output(
      z.object({
        enrolled: z.number(),
        createdAccounts: z.number(),
        alreadyEnrolled: z.number(),
        rejected: z.array(previewRow),
      }),
    )
    .mutation(({ ctx, input }) =>
      commitRosterImport(ctx.db, ctx.actor, input, ctx.requestMetadata),
    ),

  /** Removes someone from the course, and from every hub of the course at once. */
  unenroll: requirePermission("enrollment.manage")
    .input(z.object({ courseSlug, enrollmentId: id }))
    .output(z.object({ isRemoved: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await unenrollFromCourse(ctx.db, ctx.actor, ctx.queues, input, ctx.requestMetadata);
      return { isRemoved: true };
    }),

  /** Makes staff a student (or an instructor a TA); their admin on the course's hubs ends at once. */
  changeRole: requirePermission("enrollment.manage")
    .input(changeCourseRoleInput)
    .output(z.object({ role: courseRoleSchema }))
    .mutation(({ ctx, input }) =>
      changeCourseRole(ctx.db, ctx.actor, ctx.queues, input, ctx.requestMetadata),
    ),

  /** Hub access being taken away (not confirmed yet, or confirmed this week). */
  hubAccessChanges: requirePermission("course.read")
    .input(z.object({ courseSlug }))
    .output(
      z.array(
        z.object({
          id: z.string(),
          hubSlug: z.string(),
          person: z.object({
            name: z.string().nullable(),
            email: z.string().nullable(),
            username: z.string(),
          }),
          reason: z.enum(["UNENROLLED", "ROLE_CHANGED"]),
          status: z.enum(["PENDING", "DONE", "FAILED"]),
          attempts: z.number(),
          requestedAt: z.date(),
          completedAt: z.date().nullable(),
          summary: z.string(),
          detail: z.string().nullable(),
        }),
      ),
    )
    .query(({ ctx, input }) => listHubAccessChanges(ctx.db, ctx.actor, input.courseSlug)),

  retryHubAccessChange: requirePermission("enrollment.manage")
    .input(z.object({ courseSlug, revocationId: id }))
    .output(z.object({ isQueued: z.boolean() }))
    .mutation(({ ctx, input }) => retryHubAccessChange(ctx.db, ctx.actor, ctx.queues, input)),

  /**
   * The launch button: the enrolled person's hub URL when it is ready (recording the launch),
   * otherwise what the status page shows. A mutation because a launch is recorded.
   */
  launch: signedInProcedure
    .input(z.object({ courseSlug }))
    .output(
      z.union([
        z.object({ kind: z.literal("redirect"), url: z.string() }),
        z.object({
          kind: z.literal("not-ready"),
          course: z.object({ slug: z.string(), code: z.string(), title: z.string() }),
          hub: z
            .object({
              slug: z.string(),
              status: hubStatusSchema,
              isSimulated: z.boolean(),
              description: hubStatusDescriptionSchema,
            })
            .nullable(),
        }),
      ]),
    )
    .mutation(({ ctx, input }) => launchCourseHub(ctx.db, ctx.actor, input.courseSlug)),

  leave: signedInProcedure
    .input(z.object({ courseSlug }))
    .output(z.object({ hasLeft: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await leaveCourse(ctx.db, ctx.actor, ctx.queues, input.courseSlug, ctx.requestMetadata);
      return { hasLeft: true };
    }),

  invitations: requirePermission("enrollment.manage")
    .input(z.object({ courseSlug }))
    .output(z.array(invitationSummary))
    .query(({ ctx, input }) => listCourseInvitations(ctx.db, ctx.actor, input.courseSlug)),

  /** Returns the invitation link once; only its hash is kept. */
  invite: requirePermission("enrollment.manage")
    .input(createInvitationInput)
    .output(z.object({ invitation: invitationSummary, path: z.string() }))
    .mutation(({ ctx, input }) =>
      createCourseInvitation(ctx.db, ctx.actor, input, ctx.requestMetadata),
    ),

  revokeInvitation: requirePermission("enrollment.manage")
    .input(z.object({ courseSlug, invitationId: id }))
    .output(invitationSummary)
    .mutation(({ ctx, input }) =>
      revokeCourseInvitation(ctx.db, ctx.actor, input, ctx.requestMetadata),
    ),

  myInvitations: signedInProcedure
    .input(z.void())
    .output(
      z.array(
        z.object({
          id: z.string(),
          role: courseRoleSchema,
          expiresAt: z.date(),
          invitedBy: z.string().nullable(),
          course: coursePreview.omit({ slug: true }),
        }),
      ),
    )
    .query(({ ctx }) => listMyInvitations(ctx.db, ctx.actor)),

  describeInvitation: signedInProcedure
    .input(z.object({ token: z.string().min(1).max(100) }))
    .output(
      z.union([
        z.object({ state: z.literal("unknown") }),
        z.object({
          state: z.enum(["pending", "accepted", "revoked", "expired"]),
          message: z.string().nullable(),
          role: courseRoleSchema,
          invitedBy: z.string().nullable(),
          expiresAt: z.date(),
          isForSignedInPerson: z.boolean(),
          invitedEmail: z.string(),
          course: coursePreview,
        }),
      ]),
    )
    .query(({ ctx, input }) => describeInvitationByToken(ctx.db, ctx.actor, input.token)),

  acceptInvitation: signedInProcedure
    .input(
      z.union([z.object({ token: z.string().min(1).max(100) }), z.object({ invitationId: id })]),
    )
    .output(z.object({ courseSlug: z.string(), role: courseRoleSchema }))
    .mutation(({ ctx, input }) =>
      acceptCourseInvitation(ctx.db, ctx.actor, input, ctx.requestMetadata),
    ),
});
