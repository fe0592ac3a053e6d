import { z } from "zod";
import {
  archiveAssignment,
  assignmentDetail,
  assignmentMaterialSourceSchema,
  courseGradebook,
  createAssignment,
  gradebookCsv,
  listAssignments,
  materialForHub,
  maxSubmittedNotebookBytes,
  publishAssignment,
  regradeSubmissions,
  submissionDetail,
  submitFromHub,
  submitFromPortal,
  updateAssignment,
} from "@hubfed/core";
import {
  courseSlugSchema,
  hiddenResultsSchema,
  latePolicySchema,
  submissionChannelSchema,
  submissionStatusSchema,
} from "../shapes";
import { publicProcedure, requirePermission, router, signedInProcedure } from "../trpc";

// The autograder (SPEC §4): staff manage assignments (assignment.manage) and
// read the gradebook (gradebook.read); students submit and read their own
// grades (assignment.submit). Pages open to both staff and students
// (the assignment list and page) are signed-in here and scoped in core by
// the actor's role in the course. The two hub procedures are public: a
// student's server calls them with its hub token, which core has the hub
// vouch for.

const assignmentSlug = z.string().min(1).max(80);
const notebookText = z.string().max(maxSubmittedNotebookBytes + 1024);
/** A JupyterHub API token, as a student's server holds it. */
const hubToken = z.string().min(1).max(200);

const settingsOutput = z.object({
  title: z.string(),
  dueLocal: z.string(),
  timeZone: z.string(),
  latePolicy: latePolicySchema,
  latePenaltyPercentPerDay: z.number().nullable(),
  points: z.number(),
  attemptsAllowed: z.number().nullable(),
  hiddenResults: hiddenResultsSchema,
});

const assignmentState = z.enum(["draft", "published", "archived"]);

const gradedTest = z.object({
  name: z.string(),
  score: z.number(),
  max_score: z.number(),
  visibility: z.enum(["hidden", "after_published", "visible"]),
  output: z.string(),
});

const submissionOutput = z.object({
  id: z.string(),
  attempt: z.number(),
  channel: submissionChannelSchema,
  submittedAt: z.date(),
  status: submissionStatusSchema,
  gradedAt: z.date().nullable(),
  daysLate: z.number(),
  penaltyPercent: z.number(),
  testScore: z.number().nullable(),
  testMaxScore: z.number().nullable(),
  score: z.number().nullable(),
  results: z.array(gradedTest),
  failureReason: z.string().nullable(),
  failureDetail: z.string().nullable(),
  gradingMillis: z.number().nullable(),
});

const receiptOutput = z.object({
  submissionId: z.string(),
  attempt: z.number(),
  attemptsAllowed: z.number().nullable(),
  daysLate: z.number(),
  isDuplicate: z.boolean(),
  message: z.string(),
  assignmentPath: z.string(),
});

const settingsInput = z.unknown();

export const gradingRouter = router({
  /** The course's assignments: all for staff, published ones with one's own grade for students. */
  list: signedInProcedure
    .input(z.object({ courseSlug: courseSlugSchema }))
    .output(
      z.object({
        course: z.object({
          slug: z.string(),
          code: z.string(),
          title: z.string(),
          timeZone: z.string(),
        }),
        canManage: z.boolean(),
        assignments: z.array(
          z.object({
            slug: z.string(),
            title: z.string(),
            dueAt: z.date(),
            timeZone: z.string(),
            points: z.number(),
            attemptsAllowed: z.number().nullable(),
            state: assignmentState,
            linkCode: z.string().nullable(),
            students: z.number(),
            graded: z.number(),
            averageScore: z.number().nullable(),
            mine: z
              .object({
                attempt: z.number(),
                status: submissionStatusSchema,
                score: z.number().nullable(),
              })
              .nullable(),
          }),
        ),
      }),
    )
    .query(({ ctx, input }) => listAssignments(ctx.db, ctx.actor, input.courseSlug)),

  /** One assignment: settings and score distribution for staff, one's own submissions for students. */
  detail: signedInProcedure
    .input(z.object({ courseSlug: courseSlugSchema, assignmentSlug }))
    .output(
      z.object({
        course: z.object({ slug: z.string(), code: z.string(), title: z.string() }),
        slug: z.string(),
        settings: settingsOutput,
        dueAt: z.date(),
        source: z.enum(["REPOSITORY", "UPLOAD"]),
        repository: z.object({ url: z.string(), branch: z.string(), path: z.string() }).nullable(),
        notebookName: z.string(),
        questions: z.array(
          z.object({
            name: z.string(),
            points: z.number(),
            publicCases: z.number(),
            hiddenCases: z.number(),
          }),
        ),
        linkCode: z.string().nullable(),
        state: assignmentState,
        canManage: z.boolean(),
        materialRevision: z.number().nullable(),
        hiddenResultsShown: z.boolean(),
        scores: z.array(z.number()),
        statusCounts: z.record(z.string(), z.number()),
        mySubmissions: z.array(submissionOutput),
      }),
    )
    .query(({ ctx, input }) => assignmentDetail(ctx.db, ctx.actor, input)),

  create: requirePermission("assignment.manage")
    .input(
      z.object({
        courseSlug: courseSlugSchema,
        settings: settingsInput,
        source: assignmentMaterialSourceSchema,
      }),
    )
    .output(z.object({ id: z.string(), slug: z.string() }))
    .mutation(({ ctx, input }) =>
      createAssignment(ctx.db, ctx.actor, input, {
        readRepositoryMaterial: ctx.readRepositoryMaterial,
        requestMetadata: ctx.requestMetadata,
      }),
    ),

  update: requirePermission("assignment.manage")
    .input(
      z.object({
        courseSlug: courseSlugSchema,
        assignmentSlug,
        settings: settingsInput,
        source: assignmentMaterialSourceSchema.optional(),
      }),
    )
    .output(z.object({ id: z.string(), slug: z.string(), materialRevision: z.number() }))
    .mutation(({ ctx, input }) =>
      updateAssignment(ctx.db, ctx.actor, input, {
        readRepositoryMaterial: ctx.readRepositoryMaterial,
        requestMetadata: ctx.requestMetadata,
      }),
    ),

  publish: requirePermission("assignment.manage")
    .input(z.object({ courseSlug: courseSlugSchema, assignmentSlug }))
    .output(z.object({ code: z.string(), publishedAt: z.date() }))
    .mutation(({ ctx, input }) =>
      publishAssignment(ctx.db, ctx.actor, input, { requestMetadata: ctx.requestMetadata }),
    ),

  archive: requirePermission("assignment.manage")
    .input(z.object({ courseSlug: courseSlugSchema, assignmentSlug }))
    .output(z.object({ archivedAt: z.date() }))
    .mutation(({ ctx, input }) =>
      archiveAssignment(ctx.db, ctx.actor, input, { requestMetadata: ctx.requestMetadata }),
    ),

  gradebook: requirePermission("gradebook.read")
    .input(z.object({ courseSlug: courseSlugSchema }))
    .output(
      z.object({
        course: z.object({ slug: z.string(), code: z.string(), title: z.string() }),
        assignments: z.array(
          z.object({
            id: z.string(),
            slug: z.string(),
            title: z.string(),
            points: z.number(),
            dueAt: z.date(),
          }),
        ),
        rows: z.array(
          z.object({
            student: z.object({
              id: z.string(),
              name: z.string().nullable(),
              email: z.string().nullable(),
              username: z.string(),
            }),
            cells: z.array(
              z
                .object({
                  submissionId: z.string(),
                  status: submissionStatusSchema,
                  score: z.number().nullable(),
                  attempts: z.number(),
                  daysLate: z.number(),
                  penaltyPercent: z.number(),
                  lastSubmittedAt: z.date(),
                })
                .nullable(),
            ),
          }),
        ),
      }),
    )
    .query(({ ctx, input }) => courseGradebook(ctx.db, ctx.actor, input.courseSlug)),

  gradebookCsv: requirePermission("gradebook.read")
    .input(z.object({ courseSlug: courseSlugSchema }))
    .output(z.object({ fileName: z.string(), csv: z.string() }))
    .query(({ ctx, input }) => gradebookCsv(ctx.db, ctx.actor, input.courseSlug)),

  /** One submission: everything for staff; its own student sees what the assignment allows. */
  submission: signedInProcedure
    .input(z.object({ courseSlug: courseSlugSchema, submissionId: z.string().min(1).max(40) }))
    .output(
      submissionOutput.extend({
        userId: z.string(),
        materialRevision: z.number(),
        user: z.object({ username: z.string(), name: z.string().nullable() }),
        assignment: z.object({
          courseId: z.string(),
          slug: z.string(),
          title: z.string(),
          points: z.number(),
          dueAt: z.date(),
          hiddenResults: hiddenResultsSchema,
        }),
        canRegrade: z.boolean(),
      }),
    )
    .query(({ ctx, input }) => submissionDetail(ctx.db, ctx.actor, input)),

  regrade: requirePermission("submission.regrade")
    .input(
      z.object({
        courseSlug: courseSlugSchema,
        assignmentSlug,
        submissionId: z.string().min(1).max(40).optional(),
      }),
    )
    .output(z.object({ queued: z.number() }))
    .mutation(({ ctx, input }) =>
      regradeSubmissions(ctx.db, ctx.actor, input, {
        queues: ctx.queues,
        requestMetadata: ctx.requestMetadata,
      }),
    ),

  /** Submitting an uploaded notebook from the assignment page. */
  submit: requirePermission("assignment.submit")
    .input(z.object({ courseSlug: courseSlugSchema, assignmentSlug, notebook: notebookText }))
    .output(receiptOutput)
    .mutation(({ ctx, input }) =>
      submitFromPortal(ctx.db, ctx.actor, input, { queues: ctx.queues }),
    ),

  /** The assignment's files for a student's server (the hub vouches for the token). */
  hubMaterial: publicProcedure
    .input(
      z.object({
        hubSlug: z.string().min(1).max(80),
        assignmentId: z.string().min(1).max(40),
        token: hubToken,
      }),
    )
    .output(
      z.object({
        title: z.string(),
        assignmentId: z.string(),
        folder: z.string(),
        notebook: z.object({ name: z.string(), content: z.string() }),
        files: z.array(z.object({ path: z.string(), contentBase64: z.string() })),
      }),
    )
    .query(({ ctx, input }) =>
      materialForHub(ctx.db, input, { identifyHubUser: ctx.identifyHubUser }),
    ),

  /** submit() in a student's kernel (the hub vouches for the token). */
  hubSubmit: publicProcedure
    .input(
      z.object({
        hubSlug: z.string().min(1).max(80),
        assignmentId: z.string().min(1).max(40),
        token: hubToken,
        notebook: notebookText,
      }),
    )
    .output(receiptOutput)
    .mutation(({ ctx, input }) =>
      submitFromHub(ctx.db, input, { identifyHubUser: ctx.identifyHubUser, queues: ctx.queues }),
    ),
});
