import type { Actor } from "@hubfed/auth/permissions";
import { recordAuditEvent, type DatabaseClient } from "@hubfed/db";
import type { GradedTest } from "@hubfed/grader/contract";
import { gradeJobId, gradeSubmissionJob, type JobQueues } from "@hubfed/jobs";
import { utcToLocalDateTime } from "../courses/time-zones";
import { csvNumber, renderCsv, type CsvCell } from "../csv";
import { AppError } from "../errors";
import type { RequestMetadata } from "../links/staff-access";
import { findCourseForGrading } from "./course-access";
import { parseStoredMaterial, questionsOf } from "./material";
import { areHiddenResultsShown, resultsForStudent } from "./scoring";

/**
 * What people see of assignments and grades (SPEC §4): staff get every
 * student × assignment, each submission's per-test output and the operator's
 * detail when grading failed, the CSV, and regrading; students get their own
 * submissions with the results the assignment's visibility setting allows.
 * The grade of a student for an assignment is their latest submission's.
 */

const assignmentColumns = {
  id: true,
  slug: true,
  title: true,
  dueAt: true,
  timeZone: true,
  latePolicy: true,
  latePenaltyPercentPerDay: true,
  points: true,
  attemptsAllowed: true,
  hiddenResults: true,
  source: true,
  repositoryUrl: true,
  branch: true,
  repositoryPath: true,
  notebookName: true,
  materialRevision: true,
  publishedAt: true,
  archivedAt: true,
  link: { select: { code: true } },
} as const;

function settingsOf(assignment: {
  title: string;
  dueAt: Date;
  timeZone: string;
  latePolicy: "NONE" | "PENALTY_PER_DAY" | "HARD_CUTOFF";
  latePenaltyPercentPerDay: number | null;
  points: number;
  attemptsAllowed: number | null;
  hiddenResults: "IMMEDIATELY" | "AFTER_DUE" | "NEVER";
}) {
  return {
    title: assignment.title,
    dueLocal: utcToLocalDateTime(assignment.dueAt, assignment.timeZone),
    timeZone: assignment.timeZone,
    latePolicy: assignment.latePolicy,
    latePenaltyPercentPerDay: assignment.latePenaltyPercentPerDay,
    points: assignment.points,
    attemptsAllowed: assignment.attemptsAllowed,
    hiddenResults: assignment.hiddenResults,
  };
}

/** The course's assignments: all of them for staff, the published ones with one's own grade for students. */
export async function listAssignments(
  db: DatabaseClient,
  actor: Actor,
  courseSlug: string,
  { now = new Date() }: { now?: Date } = {},
) {
  const role = await roleIn(db, actor, courseSlug);
  const isStaff = role.kind === "staff";
  const assignments = await db.assignment.findMany({
    where: {
      courseId: role.course.id,
      ...(isStaff ? {} : { publishedAt: { not: null }, archivedAt: null }),
    },
    select: {
      ...assignmentColumns,
      submissions: {
        where: isStaff ? {} : { userId: actor.userId },
        select: { userId: true, attempt: true, status: true, score: true },
      },
    },
    orderBy: [{ dueAt: "asc" }, { title: "asc" }],
  });
  return {
    course: {
      slug: role.course.slug,
      code: role.course.code,
      title: role.course.title,
      timeZone: role.course.timezone,
    },
    canManage: isStaff,
    assignments: assignments.map((assignment) => {
      const latest = latestByStudent(assignment.submissions);
      const graded = [...latest.values()].filter((submission) => submission.status === "GRADED");
      const mine = latest.get(actor.userId);
      const scoreShown = mine && areHiddenResultsShown(assignment, now);
      return {
        slug: assignment.slug,
        title: assignment.title,
        dueAt: assignment.dueAt,
        timeZone: assignment.timeZone,
        points: assignment.points,
        attemptsAllowed: assignment.attemptsAllowed,
        state: assignment.archivedAt
          ? ("archived" as const)
          : assignment.publishedAt
            ? ("published" as const)
            : ("draft" as const),
        linkCode: assignment.link?.code ?? null,
        students: latest.size,
        graded: graded.length,
        averageScore:
          isStaff && graded.length > 0
            ? Math.round(
                (graded.reduce((sum, submission) => sum + (submission.score ?? 0), 0) /
                  graded.length) *
                  100,
              ) / 100
            : null,
        mine: mine
          ? {
              attempt: mine.attempt,
              status: mine.status,
              score: scoreShown ? mine.score : null,
            }
          : null,
      };
    }),
  };
}

function latestByStudent<Row extends { userId: string; attempt: number }>(
  rows: Row[],
): Map<string, Row> {
  const latest = new Map<string, Row>();
  for (const row of rows) {
    const current = latest.get(row.userId);
    if (!current || row.attempt > current.attempt) latest.set(row.userId, row);
  }
  return latest;
}

/** Staff (manage) or a student of the course; anyone else is refused by findCourseForGrading. */
async function roleIn(db: DatabaseClient, actor: Actor, courseSlug: string) {
  try {
    const course = await findCourseForGrading(db, actor, courseSlug, "gradebook.read");
    return { kind: "staff" as const, course };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "FORBIDDEN") throw error;
    const course = await findCourseForGrading(db, actor, courseSlug, "assignment.submit");
    return { kind: "student" as const, course };
  }
}

async function assignmentIn(db: DatabaseClient, courseId: string, slug: string) {
  const assignment = await db.assignment.findUnique({
    where: { courseId_slug: { courseId, slug } },
    select: { ...assignmentColumns, material: true },
  });
  if (!assignment) throw new AppError("NOT_FOUND", "Assignment not found");
  return assignment;
}

const submissionColumns = {
  id: true,
  attempt: true,
  channel: true,
  submittedAt: true,
  status: true,
  gradedAt: true,
  daysLate: true,
  penaltyPercent: true,
  testScore: true,
  testMaxScore: true,
  score: true,
  results: true,
  failureReason: true,
  gradingMillis: true,
} as const;

function testsOf(results: unknown): GradedTest[] {
  return Array.isArray(results) ? (results as GradedTest[]) : [];
}

/**
 * One assignment: for staff its settings, questions and score distribution;
 * for a student its settings and their own submissions, with what they may see.
 */
export async function assignmentDetail(
  db: DatabaseClient,
  actor: Actor,
  input: { courseSlug: string; assignmentSlug: string },
  { now = new Date() }: { now?: Date } = {},
) {
  const role = await roleIn(db, actor, input.courseSlug);
  const assignment = await assignmentIn(db, role.course.id, input.assignmentSlug);
  if (role.kind === "student" && (!assignment.publishedAt || assignment.archivedAt))
    throw new AppError("NOT_FOUND", "Assignment not found");
  const material = parseStoredMaterial(assignment.material);
  const base = {
    course: { slug: role.course.slug, code: role.course.code, title: role.course.title },
    slug: assignment.slug,
    settings: settingsOf(assignment),
    dueAt: assignment.dueAt,
    source: assignment.source,
    repository: assignment.repositoryUrl
      ? {
          url: assignment.repositoryUrl,
          branch: assignment.branch ?? "",
          path: assignment.repositoryPath ?? "",
        }
      : null,
    notebookName: assignment.notebookName,
    questions: questionsOf(material),
    linkCode: assignment.link?.code ?? null,
    state: assignment.archivedAt
      ? ("archived" as const)
      : assignment.publishedAt
        ? ("published" as const)
        : ("draft" as const),
    canManage: role.kind === "staff",
  };
  if (role.kind === "staff") {
    const latest = latestByStudent(
      await db.submission.findMany({
        where: { assignmentId: assignment.id },
        select: { userId: true, attempt: true, status: true, score: true },
      }),
    );
    return {
      ...base,
      materialRevision: assignment.materialRevision,
      hiddenResultsShown: true,
      scores: [...latest.values()]
        .filter((submission) => submission.status === "GRADED")
        .map((submission) => submission.score ?? 0),
      statusCounts: countBy([...latest.values()].map((submission) => submission.status)),
      mySubmissions: [],
    };
  }
  const hiddenShown = areHiddenResultsShown(assignment, now);
  const mine = await db.submission.findMany({
    where: { assignmentId: assignment.id, userId: actor.userId },
    select: submissionColumns,
    orderBy: { attempt: "desc" },
  });
  return {
    ...base,
    materialRevision: null,
    hiddenResultsShown: hiddenShown,
    scores: [],
    statusCounts: {},
    mySubmissions: mine.map((submission) => {
      const visible = resultsForStudent(testsOf(submission.results), assignment, now);
      return {
        ...submission,
        results: visible.tests,
        // Without the hidden results the score would give them away.
        score: visible.isComplete ? submission.score : null,
        testScore: visible.isComplete ? submission.testScore : null,
        testMaxScore: visible.isComplete ? submission.testMaxScore : null,
        failureDetail: null,
      };
    }),
  };
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** Every student × every published assignment, with the latest submission's grade. */
export async function courseGradebook(db: DatabaseClient, actor: Actor, courseSlug: string) {
  const course = await findCourseForGrading(db, actor, courseSlug, "gradebook.read");
  const [assignments, students, submissions] = await Promise.all([
    db.assignment.findMany({
      where: { courseId: course.id, publishedAt: { not: null } },
      select: { id: true, slug: true, title: true, points: true, dueAt: true },
      orderBy: [{ dueAt: "asc" }, { title: "asc" }],
    }),
    db.enrollment.findMany({
      where: { courseId: course.id, role: "STUDENT" },
      select: { user: { select: { id: true, name: true, email: true, username: true } } },
      orderBy: { user: { username: "asc" } },
    }),
    db.submission.findMany({
      where: { assignment: { courseId: course.id, publishedAt: { not: null } } },
      select: {
        id: true,
        assignmentId: true,
        userId: true,
        attempt: true,
        status: true,
        score: true,
        daysLate: true,
        penaltyPercent: true,
        submittedAt: true,
      },
    }),
  ]);
  const cells = new Map<string, (typeof submissions)[number] & { attempts: number }>();
  for (const submission of submissions) {
    const key = `${submission.userId}:${submission.assignmentId}`;
    const current = cells.get(key);
    const attempts = Math.max(current?.attempts ?? 0, submission.attempt);
    if (!current || submission.attempt > current.attempt)
      cells.set(key, { ...submission, attempts });
    else current.attempts = attempts;
  }
  return {
    course: { slug: course.slug, code: course.code, title: course.title },
    assignments,
    rows: students.map(({ user }) => ({
      student: user,
      cells: assignments.map((assignment) => {
        const cell = cells.get(`${user.id}:${assignment.id}`);
        return cell
          ? {
              submissionId: cell.id,
              status: cell.status,
              score: cell.score,
              attempts: cell.attempts,
              daysLate: cell.daysLate,
              penaltyPercent: cell.penaltyPercent,
              lastSubmittedAt: cell.submittedAt,
            }
          : null;
      }),
    })),
  };
}

/** The gradebook as CSV: one row per student, score, attempts and days late per assignment. */
export async function gradebookCsv(
  db: DatabaseClient,
  actor: Actor,
  courseSlug: string,
): Promise<{ fileName: string; csv: string }> {
  const book = await courseGradebook(db, actor, courseSlug);
  const header = ["username", "name", "email"];
  for (const assignment of book.assignments)
    header.push(
      `${assignment.slug} score (of ${assignment.points})`,
      `${assignment.slug} attempts`,
      `${assignment.slug} days late`,
      `${assignment.slug} status`,
    );
  const rows: CsvCell[][] = [header];
  for (const row of book.rows) {
    const line: CsvCell[] = [row.student.username, row.student.name ?? "", row.student.email ?? ""];
    for (const cell of row.cells)
      line.push(
        cell?.score === null || cell?.score === undefined ? "" : csvNumber(cell.score),
        csvNumber(cell ? cell.attempts : 0),
        cell ? csvNumber(cell.daysLate) : "",
        cell ? cell.status.toLowerCase() : "missing",
      );
    rows.push(line);
  }
  return { fileName: `${book.course.slug}-gradebook.csv`, csv: renderCsv(rows) };
}

/** One submission with everything: staff of its course, or its own student with what they may see. */
export async function submissionDetail(
  db: DatabaseClient,
  actor: Actor,
  input: { courseSlug: string; submissionId: string },
  { now = new Date() }: { now?: Date } = {},
) {
  const role = await roleIn(db, actor, input.courseSlug);
  const submission = await db.submission.findUnique({
    where: { id: input.submissionId },
    select: {
      ...submissionColumns,
      failureDetail: true,
      userId: true,
      materialRevision: true,
      user: { select: { username: true, name: true } },
      assignment: {
        select: {
          courseId: true,
          slug: true,
          title: true,
          points: true,
          dueAt: true,
          hiddenResults: true,
        },
      },
    },
  });
  if (
    !submission ||
    submission.assignment.courseId !== role.course.id ||
    (role.kind === "student" && submission.userId !== actor.userId)
  )
    throw new AppError("NOT_FOUND", "Submission not found");
  const tests = testsOf(submission.results);
  if (role.kind === "staff") return { ...submission, results: tests, canRegrade: true };
  const visible = resultsForStudent(tests, submission.assignment, now);
  return {
    ...submission,
    results: visible.tests,
    score: visible.isComplete ? submission.score : null,
    testScore: visible.isComplete ? submission.testScore : null,
    testMaxScore: visible.isComplete ? submission.testMaxScore : null,
    failureDetail: null,
    canRegrade: false,
  };
}

/**
 * Grade again, with the assignment's current material (after a test was
 * fixed): one submission, or every submission of the assignment. Each gets a
 * new round, so a round still in the queue is superseded, not graded twice.
 */
export async function regradeSubmissions(
  db: DatabaseClient,
  actor: Actor,
  input: { courseSlug: string; assignmentSlug: string; submissionId?: string },
  dependencies: { queues: JobQueues; requestMetadata?: RequestMetadata; now?: Date },
): Promise<{ queued: number }> {
  const now = dependencies.now ?? new Date();
  const course = await findCourseForGrading(db, actor, input.courseSlug, "submission.regrade");
  const assignment = await db.assignment.findUnique({
    where: { courseId_slug: { courseId: course.id, slug: input.assignmentSlug } },
    select: { id: true },
  });
  if (!assignment) throw new AppError("NOT_FOUND", "Assignment not found");
  const where = {
    assignmentId: assignment.id,
    ...(input.submissionId ? { id: input.submissionId } : {}),
  };
  const queued = await db.$transaction(async (tx) => {
    const targets = await tx.submission.findMany({
      where,
      select: { id: true, gradingRound: true },
    });
    if (input.submissionId && targets.length === 0)
      throw new AppError("NOT_FOUND", "Submission not found");
    await tx.submission.updateMany({
      where,
      data: {
        gradingRound: { increment: 1 },
        status: "QUEUED",
        queuedAt: now,
        leaseToken: null,
        leaseExpiresAt: null,
        gradingAttempts: 0,
      },
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "submission.regrade",
      subjectType: "Assignment",
      subjectId: assignment.id,
      details: { courseSlug: course.slug, submissions: targets.length },
      requestMetadata: dependencies.requestMetadata,
    });
    return targets;
  });
  for (const target of queued)
    await dependencies.queues.add(
      gradeSubmissionJob,
      { submissionId: target.id, round: target.gradingRound + 1 },
      { jobId: gradeJobId(target.id, target.gradingRound + 1) },
    );
  return { queued: queued.length };
}
