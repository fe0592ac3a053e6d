import { createHash } from "node:crypto";
import type { Actor } from "@hubfed/auth/permissions";
import { Prisma, type DatabaseClient } from "@hubfed/db";
import { defaultGradingLimits } from "@hubfed/grader/contract";
import {
  gradeJobId,
  gradeSubmissionJob,
  JobQueueUnavailableError,
  type JobQueues,
} from "@hubfed/jobs";
import { lostJobAfterMs } from "./sweep";
import { AppError } from "../errors";
import { findCourseForGrading } from "./course-access";
import type { HubUserIdentifier } from "./hub-identity";
import { parseStoredMaterial, studentFilesOf, type StudentFiles } from "./material";
import { latenessOf } from "./scoring";

/**
 * Submissions (SPEC §4): from the notebook (submit() in a student's kernel,
 * authenticated through the hub) or from the portal's assignment page. Each
 * is recorded with its attempt number and lateness, then queued for grading.
 */

export const maxSubmittedNotebookBytes = defaultGradingLimits.maxNotebookBytes;

/** The same notebook sent again this soon is the same submission (a retried request). */
const duplicateWindowMs = 2 * 60_000;

const assignmentSelect = {
  id: true,
  slug: true,
  title: true,
  courseId: true,
  dueAt: true,
  latePolicy: true,
  latePenaltyPercentPerDay: true,
  attemptsAllowed: true,
  publishedAt: true,
  archivedAt: true,
  materialRevision: true,
  notebookName: true,
  material: true,
  course: { select: { slug: true } },
} as const;

type SubmittableAssignment = Prisma.AssignmentGetPayload<{ select: typeof assignmentSelect }>;

export interface SubmissionReceipt {
  submissionId: string;
  attempt: number;
  attemptsAllowed: number | null;
  daysLate: number;
  isDuplicate: boolean;
  message: string;
  /** The portal path of the assignment, where the grade appears. */
  assignmentPath: string;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

async function recordSubmission(
  db: DatabaseClient,
  assignment: SubmittableAssignment,
  input: { userId: string; notebook: string; channel: "NOTEBOOK" | "PORTAL" },
  { queues, now }: { queues: JobQueues; now: Date },
): Promise<SubmissionReceipt> {
  const assignmentPath = `/courses/${assignment.course.slug}/assignments/${assignment.slug}`;
  if (!assignment.publishedAt || assignment.archivedAt)
    throw new AppError(
      "PRECONDITION_FAILED",
      assignment.archivedAt
        ? "This assignment was archived and takes no more submissions."
        : "This assignment is not published yet.",
    );
  const bytes = Buffer.byteLength(input.notebook, "utf8");
  if (bytes > maxSubmittedNotebookBytes)
    throw new AppError(
      "BAD_REQUEST",
      `The notebook is ${(bytes / 1024 / 1024).toFixed(1)} MB; submissions are at most ${maxSubmittedNotebookBytes / 1024 / 1024} MB. Clear large outputs (Cell → All Output → Clear) and submit again.`,
      { notebook: ["The notebook is too large."] },
    );
  const lateness = latenessOf(now, assignment);
  if (lateness.isRefused)
    throw new AppError(
      "PRECONDITION_FAILED",
      `The due date (${assignment.dueAt.toISOString()}) has passed, and this assignment takes no late work.`,
    );
  const sha = createHash("sha256").update(input.notebook).digest("hex");

  for (let tries = 0; ; tries += 1) {
    const previous = await db.submission.findFirst({
      where: { assignmentId: assignment.id, userId: input.userId },
      orderBy: { attempt: "desc" },
      select: { id: true, attempt: true, notebookSha256: true, submittedAt: true },
    });
    if (
      previous &&
      previous.notebookSha256 === sha &&
      now.getTime() - previous.submittedAt.getTime() < duplicateWindowMs
    )
      return {
        submissionId: previous.id,
        attempt: previous.attempt,
        attemptsAllowed: assignment.attemptsAllowed,
        daysLate: lateness.daysLate,
        isDuplicate: true,
        message: `Attempt ${previous.attempt} was already received; it is being graded.`,
        assignmentPath,
      };
    const attempt = (previous?.attempt ?? 0) + 1;
    if (assignment.attemptsAllowed !== null && attempt > assignment.attemptsAllowed)
      throw new AppError(
        "PRECONDITION_FAILED",
        `You have used all ${assignment.attemptsAllowed} attempts of “${assignment.title}”.`,
      );
    try {
      const submission = await db.submission.create({
        data: {
          assignmentId: assignment.id,
          userId: input.userId,
          attempt,
          channel: input.channel,
          notebook: input.notebook,
          notebookSha256: sha,
          submittedAt: now,
          queuedAt: now,
          daysLate: lateness.daysLate,
          penaltyPercent: lateness.penaltyPercent,
          materialRevision: assignment.materialRevision,
        },
        select: { id: true },
      });
      // The submission is kept whatever the queue does: one that is not answering (a stalled
      // Redis) leaves it QUEUED, and the grading sweep queues it once the queue answers. The
      // student is told it arrived, so they do not spend another attempt on it.
      const isQueued = await queues
        .add(
          gradeSubmissionJob,
          { submissionId: submission.id, round: 1 },
          { jobId: gradeJobId(submission.id, 1) },
        )
        .then(
          () => true,
          (error: unknown) => {
            if (error instanceof JobQueueUnavailableError) return false;
            throw error;
          },
        );
      const ofAllowed = assignment.attemptsAllowed ? ` of ${assignment.attemptsAllowed}` : "";
      const late =
        lateness.daysLate > 0
          ? ` It is ${lateness.daysLate} day${lateness.daysLate === 1 ? "" : "s"} late${lateness.penaltyPercent ? ` (−${lateness.penaltyPercent} %)` : ""}.`
          : "";
      return {
        submissionId: submission.id,
        attempt,
        attemptsAllowed: assignment.attemptsAllowed,
        daysLate: lateness.daysLate,
        isDuplicate: false,
        message: isQueued
          ? `Attempt ${attempt}${ofAllowed} received; it is being graded.${late}`
          : `Attempt ${attempt}${ofAllowed} received. Grading is delayed: it starts by itself within ${lostJobAfterMs / 60_000} minutes, so there is no need to submit again.${late}`,
        assignmentPath,
      };
    } catch (error) {
      // Two submissions of one student at once: the second takes the next attempt number.
      if (isUniqueViolation(error) && tries < 3) continue;
      throw error;
    }
  }
}

async function studentEnrollment(db: DatabaseClient, userId: string, courseId: string) {
  return db.enrollment.findUnique({
    where: { userId_courseId: { userId, courseId } },
    select: { role: true },
  });
}

/** A hub request's student: the hub vouches for the token, the enrollment for the course. */
async function identifyFromHub(
  db: DatabaseClient,
  input: { hubSlug: string; assignmentId: string; token: string },
  identifyHubUser: HubUserIdentifier,
) {
  const notFound = new AppError("NOT_FOUND", "No such assignment on this hub.");
  const hub = await db.hub.findUnique({
    where: { slug: input.hubSlug },
    select: { url: true, courseId: true },
  });
  if (!hub?.url) throw notFound;
  const assignment = await db.assignment.findUnique({
    where: { id: input.assignmentId },
    select: assignmentSelect,
  });
  if (!assignment || assignment.courseId !== hub.courseId) throw notFound;
  const username = await identifyHubUser(hub.url, input.token);
  if (!username)
    throw new AppError(
      "UNAUTHORIZED",
      "The hub did not recognise this server's token. Restart your server from the hub's control panel and try again.",
    );
  const user = await db.user.findUnique({ where: { username }, select: { id: true } });
  const enrollment = user ? await studentEnrollment(db, user.id, hub.courseId) : null;
  if (!user || !enrollment)
    throw new AppError("FORBIDDEN", "You are not enrolled in this course any more.");
  return { assignment, userId: user.id, role: enrollment.role };
}

export async function submitFromHub(
  db: DatabaseClient,
  input: { hubSlug: string; assignmentId: string; token: string; notebook: string },
  dependencies: { identifyHubUser: HubUserIdentifier; queues: JobQueues; now?: Date },
): Promise<SubmissionReceipt> {
  const { assignment, userId, role } = await identifyFromHub(
    db,
    input,
    dependencies.identifyHubUser,
  );
  if (role !== "STUDENT")
    throw new AppError(
      "FORBIDDEN",
      "Only students submit. Course staff can run check() to try the public tests.",
    );
  return recordSubmission(
    db,
    assignment,
    { userId, notebook: input.notebook, channel: "NOTEBOOK" },
    { queues: dependencies.queues, now: dependencies.now ?? new Date() },
  );
}

/** The files a student's server fetches: staff may fetch before publishing to try it. */
export async function materialForHub(
  db: DatabaseClient,
  input: { hubSlug: string; assignmentId: string; token: string },
  dependencies: { identifyHubUser: HubUserIdentifier },
): Promise<StudentFiles & { title: string; assignmentId: string }> {
  const { assignment, role } = await identifyFromHub(db, input, dependencies.identifyHubUser);
  if (role === "STUDENT" && (!assignment.publishedAt || assignment.archivedAt))
    throw new AppError("NOT_FOUND", "This assignment is not available.");
  const material = parseStoredMaterial(assignment.material);
  return {
    title: assignment.title,
    assignmentId: assignment.id,
    ...studentFilesOf({
      slug: assignment.slug,
      notebookName: assignment.notebookName,
      material,
    }),
  };
}

/** Submitting an uploaded notebook from the portal's assignment page. */
export async function submitFromPortal(
  db: DatabaseClient,
  actor: Actor,
  input: { courseSlug: string; assignmentSlug: string; notebook: string },
  dependencies: { queues: JobQueues; now?: Date },
): Promise<SubmissionReceipt> {
  const course = await findCourseForGrading(db, actor, input.courseSlug, "assignment.submit");
  const assignment = await db.assignment.findUnique({
    where: { courseId_slug: { courseId: course.id, slug: input.assignmentSlug } },
    select: assignmentSelect,
  });
  if (!assignment) throw new AppError("NOT_FOUND", "Assignment not found");
  try {
    const parsed = JSON.parse(input.notebook) as { cells?: unknown };
    if (!Array.isArray(parsed.cells)) throw new Error("no cells");
  } catch {
    throw new AppError("BAD_REQUEST", "That file is not a Jupyter notebook (.ipynb).", {
      notebook: ["Choose the .ipynb file of the assignment."],
    });
  }
  return recordSubmission(
    db,
    assignment,
    { userId: actor.userId, notebook: input.notebook, channel: "PORTAL" },
    { queues: dependencies.queues, now: dependencies.now ?? new Date() },
  );
}
