import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { useTestDatabase } from "@hubfed/db/testing";
import type { GradingInput, GradingOutcome, GradingSandbox } from "@hubfed/grader";
import { startFakeGitHub, type FakeGitHubServer } from "@hubfed/github/fake-server";
import {
  createInMemoryJobQueues,
  gradeSubmissionJob,
  JobQueueUnavailableError,
  type JobQueues,
} from "@hubfed/jobs";
import { isAppError } from "../errors";
import { resolveInteractRequest } from "../links/resolve-interact";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import {
  archiveAssignment,
  createAssignment,
  publishAssignment,
  updateAssignment,
} from "./assignments";
import { gradeSubmission } from "./grade";
import {
  assignmentDetail,
  courseGradebook,
  gradebookCsv,
  regradeSubmissions,
  submissionDetail,
} from "./gradebook";
import { createHubUserIdentifier } from "./hub-identity";
import { createRepositoryMaterialReader } from "./repository-material";
import { materialForHub, submitFromHub, submitFromPortal } from "./submissions";
import { sweepGrading } from "./sweep";

// An assignment's life over one database, as the course would live it:
// created from the content repository (the fake GitHub, over HTTP), refused
// with the file and the problem when a test is invalid, published, fetched
// and submitted from a student's server (a stand-in hub answers
// /hub/api/user over HTTP, as JupyterHub does), graded exactly once however
// often its job is delivered or its worker dies, and read back in the
// gradebook and the CSV. The sandbox here is scripted: what the real ones do
// with hostile notebooks is tested in @hubfed/grader and @hubfed/kube.

const database = useTestDatabase();
const course = "ccc-cs-120-fa26";
let github: FakeGitHubServer;
let hub: Server;
let hubUrl = "";
let instructor: Actor;
let student: Actor;
let otherInstructor: Actor;
const queues = createInMemoryJobQueues();
/** Hub tokens the stand-in hub knows, and whose they are. */
const hubTokens = new Map<string, string>();

const notebook = JSON.stringify({
  cells: [{ cell_type: "code", source: "x = 2", metadata: {}, outputs: [], execution_count: null }],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5,
});
const testFile = (name: string, hidden: string) => `OK_FORMAT = True

test = {
    "name": "${name}",
    "points": 2,
    "suites": [
        {
            "type": "doctest",
            "scored": True,
            "setup": "",
            "teardown": "",
            "cases": [
                {"code": ">>> x == 2\\nTrue", "hidden": False, "locked": False},
                {"code": ">>> ${hidden}\\nTrue", "hidden": True, "locked": False},
            ],
        }
    ],
}
`;

const settings = {
  title: "Lab 1: expressions",
  dueLocal: "2026-12-10T23:59",
  timeZone: "America/Los_Angeles",
  latePolicy: "PENALTY_PER_DAY",
  latePenaltyPercentPerDay: 10,
  points: 10,
  attemptsAllowed: 3,
  hiddenResults: "AFTER_DUE",
};
const dueAt = new Date("2026-12-11T07:59:00Z");
const beforeDue = new Date("2026-12-09T12:00:00Z");

/** A sandbox that answers what the test scripts, and counts what it was asked. */
function scriptedSandbox(answer: (input: GradingInput) => Promise<GradingOutcome>) {
  const calls: GradingInput[] = [];
  const sandbox: GradingSandbox = {
    grade: (input) => {
      calls.push(input);
      return answer(input);
    },
    describe: () => ({ kind: "local", mechanisms: ["scripted"], missing: [] }),
  };
  return { sandbox, calls };
}

const allPass: GradingOutcome = {
  status: "graded",
  durationMs: 1200,
  results: {
    score: 4,
    tests: [
      { name: "q1", score: 1, max_score: 1, visibility: "visible", output: "q1 passed" },
      {
        name: "q1 - hidden",
        score: 1,
        max_score: 1,
        visibility: "hidden",
        output: "hidden passed",
      },
      { name: "q2", score: 1, max_score: 1, visibility: "visible", output: "q2 passed" },
      {
        name: "q2 - hidden",
        score: 0,
        max_score: 1,
        visibility: "hidden",
        output: "f(10) gave 19",
      },
    ],
  },
};

async function appError(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

const readRepositoryMaterial = () => createRepositoryMaterialReader({ githubApiUrl: github.url });

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  github = await startFakeGitHub();
  github.createRepository({
    owner: "cascade-cs",
    name: "cs120",
    files: {
      "lab01/lab01.ipynb": notebook,
      "lab01/tests/q1.py": testFile("q1", "x + 1 == 3"),
      "lab01/tests/q2.py": testFile("q2", "x * 2 == 4"),
      "lab01/data/table.csv": "a,b\n1,2\n",
      "broken/lab.ipynb": notebook,
      "broken/tests/q1.py": 'test = {"name": "q1", "points": 1, "suites": [}',
    },
  });
  hub = createServer((request, response) => {
    const token = /^token (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
    const name = hubTokens.get(token);
    if (request.url !== "/hub/api/user" || !name) {
      response.writeHead(403).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ kind: "user", name }));
  });
  await new Promise<void>((resolve) => hub.listen(0, "127.0.0.1", resolve));
  hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/`;
  await db.hub.updateMany({
    where: { course: { slug: course } },
    data: { url: hubUrl, status: "READY" },
  });
  instructor = await actorFor(db, "prof.okafor@cascade.edu");
  student = await actorFor(db, "student@westvalley.edu");
  otherInstructor = await actorFor(db, "prof.rivera@westvalley.edu");
  const studentUser = await db.user.findUniqueOrThrow({ where: { id: student.userId } });
  hubTokens.set("student-server-token", studentUser.username);
  const instructorUser = await db.user.findUniqueOrThrow({ where: { id: instructor.userId } });
  hubTokens.set("instructor-server-token", instructorUser.username);
});

afterAll(async () => {
  await github.stop();
  await new Promise((resolve) => hub.close(resolve));
});

describe("an assignment's life, from the repository to the gradebook", () => {
  let assignmentId = "";
  let code = "";
  let firstSubmissionId = "";

  it("refuses invalid tests at save time, naming the file and the problem", async () => {
    const error = await appError(
      createAssignment(
        database().db,
        instructor,
        {
          courseSlug: course,
          settings,
          source: {
            kind: "repository",
            repositoryUrl: "https://github.com/cascade-cs/cs120",
            branch: "main",
            path: "broken",
          },
        },
        { readRepositoryMaterial: readRepositoryMaterial() },
      ),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.fieldErrors.material?.join(" ")).toMatch(/tests\/q1\.py/);
  });

  it("refuses a repository outside the course's allow-list, and settings field by field", async () => {
    const error = await appError(
      createAssignment(
        database().db,
        instructor,
        {
          courseSlug: course,
          settings: { ...settings, points: 0, latePenaltyPercentPerDay: null },
          source: {
            kind: "repository",
            repositoryUrl: "https://github.com/elsewhere/labs",
            branch: "main",
            path: "lab01",
          },
        },
        { readRepositoryMaterial: readRepositoryMaterial() },
      ),
    );
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["latePenaltyPercentPerDay", "points"]);
  });

  it("lets only the course's staff create assignments", async () => {
    const input = {
      courseSlug: course,
      settings,
      source: { kind: "upload" as const, files: [] },
    };
    const dependencies = { readRepositoryMaterial: readRepositoryMaterial() };
    expect(
      (await appError(createAssignment(database().db, student, input, dependencies))).code,
    ).toBe("FORBIDDEN");
    expect(
      (await appError(createAssignment(database().db, otherInstructor, input, dependencies))).code,
    ).toBe("NOT_FOUND");
  });

  it("creates it from the repository folder and publishes a link that fetches it on the student's hub", async () => {
    const db = database().db;
    const created = await createAssignment(
      db,
      instructor,
      {
        courseSlug: course,
        settings,
        source: {
          kind: "repository",
          repositoryUrl: "https://github.com/cascade-cs/cs120",
          branch: "main",
          path: "lab01",
        },
      },
      { readRepositoryMaterial: readRepositoryMaterial() },
    );
    assignmentId = created.id;
    expect(created.slug).toBe("lab-1-expressions");
    const stored = await db.assignment.findUniqueOrThrow({ where: { id: assignmentId } });
    expect(stored.dueAt).toEqual(dueAt);
    expect(stored.notebookName).toBe("lab01.ipynb");

    // A draft is not for students yet.
    const draftRefusal = await appError(
      submitFromHub(
        db,
        { hubSlug: await hubSlug(), assignmentId, token: "student-server-token", notebook },
        { identifyHubUser: createHubUserIdentifier(), queues },
      ),
    );
    expect(draftRefusal.code).toBe("PRECONDITION_FAILED");

    const published = await publishAssignment(db, instructor, {
      courseSlug: course,
      assignmentSlug: created.slug,
    });
    code = published.code;
    const outcome = await resolveInteractRequest(db, {
      form: "code",
      code,
      userId: student.userId,
    });
    expect(outcome).toMatchObject({
      kind: "redirect",
      location: `${hubUrl.replace(/\/$/, "")}/hub/user-redirect/hubfed/assignments/${assignmentId}`,
    });
  });

  async function hubSlug() {
    const row = await database().db.hub.findFirstOrThrow({ where: { course: { slug: course } } });
    return row.slug;
  }

  it("gives a student's server the notebook and public tests only, when the hub vouches for its token", async () => {
    const db = database().db;
    const material = await materialForHub(
      db,
      { hubSlug: await hubSlug(), assignmentId, token: "student-server-token" },
      { identifyHubUser: createHubUserIdentifier() },
    );
    expect(material.folder).toBe("lab-1-expressions");
    expect(material.notebook).toEqual({ name: "lab01.ipynb", content: notebook });
    const files = Object.fromEntries(
      material.files.map((file) => [
        file.path,
        Buffer.from(file.contentBase64, "base64").toString(),
      ]),
    );
    expect(Object.keys(files).sort()).toEqual(["data/table.csv", "tests/q1.py", "tests/q2.py"]);
    expect(files["tests/q1.py"]).toContain("x == 2");
    // The hidden case never reaches a student's server.
    expect(files["tests/q1.py"]).not.toContain("x + 1 == 3");

    const forged = await appError(
      materialForHub(
        db,
        { hubSlug: await hubSlug(), assignmentId, token: "made-up-token-123" },
        { identifyHubUser: createHubUserIdentifier() },
      ),
    );
    expect(forged.code).toBe("UNAUTHORIZED");
  });

  it("records a submission from the notebook once, however often the request is retried", async () => {
    const db = database().db;
    const submit = () =>
      submitFromHub(
        db,
        { hubSlug: "", assignmentId, token: "student-server-token", notebook },
        { identifyHubUser: createHubUserIdentifier(), queues, now: beforeDue },
      );
    const hubSlugValue = await hubSlug();
    const first = await submitFromHub(
      db,
      { hubSlug: hubSlugValue, assignmentId, token: "student-server-token", notebook },
      { identifyHubUser: createHubUserIdentifier(), queues, now: beforeDue },
    );
    expect(first).toMatchObject({
      attempt: 1,
      attemptsAllowed: 3,
      isDuplicate: false,
      daysLate: 0,
    });
    firstSubmissionId = first.submissionId;
    const again = await submitFromHub(
      db,
      { hubSlug: hubSlugValue, assignmentId, token: "student-server-token", notebook },
      {
        identifyHubUser: createHubUserIdentifier(),
        queues,
        now: new Date(beforeDue.getTime() + 5_000),
      },
    );
    expect(again).toMatchObject({ submissionId: first.submissionId, isDuplicate: true });
    expect(
      queues
        .jobsOf(gradeSubmissionJob)
        .filter((job) => job.data.submissionId === first.submissionId),
    ).toHaveLength(1);
    // A hub slug that is not this course's hub finds nothing.
    expect((await appError(submit())).code).toBe("NOT_FOUND");
    // Staff try the assignment with check(); they do not submit into the gradebook.
    const staff = await appError(
      submitFromHub(
        db,
        { hubSlug: hubSlugValue, assignmentId, token: "instructor-server-token", notebook },
        { identifyHubUser: createHubUserIdentifier(), queues, now: beforeDue },
      ),
    );
    expect(staff.code).toBe("FORBIDDEN");
  });

  it("grades a round once when its job is delivered twice", async () => {
    const db = database().db;
    const { sandbox, calls } = scriptedSandbox(() => Promise.resolve(allPass));
    const payload = { submissionId: firstSubmissionId, round: 1 };
    const [one, two] = await Promise.all([
      gradeSubmission(db, payload, { sandboxFor: () => sandbox }),
      gradeSubmission(db, payload, { sandboxFor: () => sandbox }),
    ]);
    expect([one.outcome, two.outcome].sort()).toEqual(["graded", "skipped"]);
    expect(await gradeSubmission(db, payload, { sandboxFor: () => sandbox })).toEqual({
      outcome: "skipped",
      reason: "already-graded",
    });
    expect(calls).toHaveLength(1);
    // The material's hidden cases went to the sandbox (and only there).
    expect(JSON.stringify(calls[0]?.tests)).toContain("x + 1 == 3");
    const stored = await db.submission.findUniqueOrThrow({ where: { id: firstSubmissionId } });
    // 3 of 4 tests: 7.5 of the assignment's 10 points.
    expect(stored).toMatchObject({ status: "GRADED", testScore: 3, testMaxScore: 4, score: 7.5 });
  });

  it("grades again after its worker dies mid-grading, and keeps one result", async () => {
    const db = database().db;
    const second = await submitFromPortal(
      db,
      student,
      {
        courseSlug: course,
        assignmentSlug: "lab-1-expressions",
        notebook: notebook.replace("x = 2", "x = 2 "),
      },
      { queues, now: new Date("2026-12-12T09:00:00Z") },
    );
    // Submitted a day and a bit after the due date: 2 started days late, 20 % off.
    expect(second).toMatchObject({ attempt: 2, daysLate: 2 });
    const payload = { submissionId: second.submissionId, round: 1 };
    const start = new Date("2026-12-12T09:00:10Z");

    let finishZombie: (outcome: GradingOutcome) => void = () => undefined;
    const dying = scriptedSandbox(
      () => new Promise<GradingOutcome>((resolve) => (finishZombie = resolve)),
    );
    const zombie = gradeSubmission(db, payload, {
      sandboxFor: () => dying.sandbox,
      now: () => start,
    });
    await expect.poll(() => dying.calls.length).toBe(1);

    // Delivered again while the first worker still holds its lease: left to it.
    const healthy = scriptedSandbox(() => Promise.resolve(allPass));
    expect(
      await gradeSubmission(db, payload, { sandboxFor: () => healthy.sandbox, now: () => start }),
    ).toEqual({
      outcome: "skipped",
      reason: "claimed-elsewhere",
    });

    // The first worker is gone: its lease runs out, and the sweep queues the round again.
    const later = new Date(start.getTime() + 10 * 60_000);
    const swept = await sweepGrading(db, { queues, now: later });
    expect(swept.requeued).toBe(1);
    const requeued = queues
      .jobsOf(gradeSubmissionJob)
      .filter((job) => job.data.submissionId === second.submissionId);
    expect(requeued.map((job) => job.id)).toEqual([
      `grade:${second.submissionId}:1`,
      `grade:${second.submissionId}:1-retry-1`,
    ]);
    expect(
      await gradeSubmission(db, payload, { sandboxFor: () => healthy.sandbox, now: () => later }),
    ).toEqual({
      outcome: "graded",
    });

    // The dead worker's late answer is not stored over the kept one.
    finishZombie({ status: "failed", reason: "zombie", durationMs: 1 });
    expect(await zombie).toEqual({ outcome: "skipped", reason: "claimed-elsewhere" });
    const stored = await db.submission.findUniqueOrThrow({ where: { id: second.submissionId } });
    expect(stored).toMatchObject({
      status: "GRADED",
      penaltyPercent: 20,
      score: 6,
      gradingAttempts: 2,
    });
  });

  it("fails a submission visibly when the grader itself cannot run, on the queue's last try", async () => {
    const db = database().db;
    const receipt = await submitFromPortal(
      db,
      student,
      {
        courseSlug: course,
        assignmentSlug: "lab-1-expressions",
        notebook: notebook.replace("x = 2", "x = 2  # broken grader"),
      },
      { queues, now: new Date("2026-12-12T10:00:00Z") },
    );
    const broken: GradingSandbox = {
      grade: () => Promise.reject(new Error("workRoot is not writable")),
      describe: () => ({ kind: "local", mechanisms: [], missing: [] }),
    };
    const payload = { submissionId: receipt.submissionId, round: 1 };
    await expect(gradeSubmission(db, payload, { sandboxFor: () => broken })).rejects.toThrow(
      /workRoot is not writable/,
    );
    // An earlier try leaves it queued for the retry…
    expect(
      (await db.submission.findUniqueOrThrow({ where: { id: receipt.submissionId } })).status,
    ).toBe("QUEUED");
    // …the last one fails it, with the operator's detail and a reason a student may read.
    await expect(
      gradeSubmission(db, payload, { sandboxFor: () => broken, isLastAttempt: true }),
    ).rejects.toThrow();
    const failed = await db.submission.findUniqueOrThrow({ where: { id: receipt.submissionId } });
    expect(failed).toMatchObject({ status: "FAILED", score: 0 });
    expect(failed.failureReason).toMatch(/course staff/);
    expect(failed.failureReason).not.toMatch(/workRoot/);
    expect(failed.failureDetail).toMatch(/workRoot is not writable/);
    // Out of the way of the attempts and grades the next tests count.
    await db.submission.delete({ where: { id: receipt.submissionId } });
  });

  it("shows a student the public results before the due date and everything after", async () => {
    const db = database().db;
    const before = await assignmentDetail(
      db,
      student,
      { courseSlug: course, assignmentSlug: "lab-1-expressions" },
      { now: beforeDue },
    );
    const latest = before.mySubmissions[0];
    expect(latest?.results.map((test) => test.name)).toEqual(["q1", "q2"]);
    expect(latest?.score).toBeNull();
    const after = await assignmentDetail(
      db,
      student,
      { courseSlug: course, assignmentSlug: "lab-1-expressions" },
      { now: new Date(dueAt.getTime() + 1) },
    );
    expect(after.mySubmissions[0]?.results).toHaveLength(4);
    expect(after.mySubmissions[0]?.score).toBe(6);
    // Staff see the operator's detail; the student never does.
    const detail = await submissionDetail(
      db,
      student,
      {
        courseSlug: course,
        submissionId: firstSubmissionId,
      },
      { now: beforeDue },
    );
    expect(detail.failureDetail).toBeNull();
    expect(detail.results.every((test) => test.visibility === "visible")).toBe(true);
  });

  it("puts the latest grade of each student in the gradebook and its CSV", async () => {
    const db = database().db;
    const book = await courseGradebook(db, instructor, course);
    const row = book.rows.find((candidate) => candidate.student.id === student.userId);
    expect(row?.cells[0]).toMatchObject({ status: "GRADED", score: 6, attempts: 2, daysLate: 2 });
    const { csv } = await gradebookCsv(db, instructor, course);
    const [header, ...lines] = csv.trim().split("\n");
    expect(header).toContain("lab-1-expressions score (of 10)");
    const username = row?.student.username ?? "";
    expect(lines.find((line) => line.startsWith(`${username},`))).toMatch(/,6,2,2,graded(,|$)/);
    expect((await appError(courseGradebook(db, student, course))).code).toBe("FORBIDDEN");
  });

  it("regrades every submission with fixed tests in a new round; the old round's job is superseded", async () => {
    const db = database().db;
    await updateAssignment(
      db,
      instructor,
      {
        courseSlug: course,
        assignmentSlug: "lab-1-expressions",
        settings,
        source: {
          kind: "repository",
          repositoryUrl: "https://github.com/cascade-cs/cs120",
          branch: "main",
          path: "lab01",
        },
      },
      { readRepositoryMaterial: readRepositoryMaterial() },
    );
    const { queued } = await regradeSubmissions(
      db,
      instructor,
      { courseSlug: course, assignmentSlug: "lab-1-expressions" },
      { queues },
    );
    expect(queued).toBe(2);
    const { sandbox, calls } = scriptedSandbox(() => Promise.resolve(allPass));
    expect(
      await gradeSubmission(
        db,
        { submissionId: firstSubmissionId, round: 1 },
        { sandboxFor: () => sandbox },
      ),
    ).toEqual({ outcome: "skipped", reason: "superseded" });
    expect(
      await gradeSubmission(
        db,
        { submissionId: firstSubmissionId, round: 2 },
        { sandboxFor: () => sandbox },
      ),
    ).toEqual({ outcome: "graded" });
    expect(calls).toHaveLength(1);
    const stored = await db.submission.findUniqueOrThrow({ where: { id: firstSubmissionId } });
    expect(stored.materialRevision).toBe(2);
  });

  it("keeps a submission made while the grading queue stalls, says grading follows, and the sweep queues it", async () => {
    const db = database().db;
    const cs120 = await db.course.findUniqueOrThrow({ where: { slug: course } });
    const newcomer = await db.user.create({
      data: { username: "queue-stall-student", email: "queue.stall@westvalley.edu" },
    });
    await db.enrollment.create({
      data: { userId: newcomer.id, courseId: cs120.id, role: "STUDENT" },
    });
    // What the BullMQ driver throws when Redis does not answer an add in time.
    const stalled: JobQueues = {
      add: (definition) => Promise.reject(new JobQueueUnavailableError(definition.queue, 3_000)),
    };
    const receipt = await submitFromPortal(
      db,
      await actorFor(db, "queue.stall@westvalley.edu"),
      { courseSlug: course, assignmentSlug: "lab-1-expressions", notebook },
      { queues: stalled, now: beforeDue },
    );
    expect(receipt).toMatchObject({ attempt: 1, isDuplicate: false });
    expect(receipt.message).toBe(
      "Attempt 1 of 3 received. Grading is delayed: it starts by itself within 30 minutes, so there is no need to submit again.",
    );
    expect(
      await db.submission.findUniqueOrThrow({ where: { id: receipt.submissionId } }),
    ).toMatchObject({ status: "QUEUED", attempt: 1 });
    // Once the queue answers, the sweep finds the submission whose job never arrived.
    await sweepGrading(db, { queues, now: new Date(beforeDue.getTime() + 31 * 60_000) });
    expect(queues.jobsOf(gradeSubmissionJob).map((job) => job.data.submissionId)).toContain(
      receipt.submissionId,
    );
  });

  it("takes no more than the attempts allowed, and nothing once archived", async () => {
    const db = database().db;
    const third = await submitFromPortal(
      db,
      student,
      {
        courseSlug: course,
        assignmentSlug: "lab-1-expressions",
        notebook: notebook.replace("x = 2", "x=2"),
      },
      { queues, now: beforeDue },
    );
    expect(third.attempt).toBe(3);
    const fourth = await appError(
      submitFromPortal(
        db,
        student,
        {
          courseSlug: course,
          assignmentSlug: "lab-1-expressions",
          notebook: notebook.replace("x = 2", "x =2"),
        },
        { queues, now: beforeDue },
      ),
    );
    expect(fourth.message).toMatch(/all 3 attempts/);
    const notANotebook = await appError(
      submitFromPortal(
        db,
        student,
        { courseSlug: course, assignmentSlug: "lab-1-expressions", notebook: "print('hi')" },
        { queues, now: beforeDue },
      ),
    );
    expect(notANotebook.fieldErrors.notebook).toBeDefined();
    await archiveAssignment(db, instructor, {
      courseSlug: course,
      assignmentSlug: "lab-1-expressions",
    });
    const outcome = await resolveInteractRequest(db, {
      form: "code",
      code,
      userId: student.userId,
    });
    expect(outcome).toMatchObject({ kind: "refuse", status: 410 });
  });
});
