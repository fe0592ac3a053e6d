import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadActor, roles, type Actor, type Role } from "@hubfed/auth";
import { createHash } from "node:crypto";
import { saveDraft } from "@hubfed/core";
import { seedDemoFederation } from "@hubfed/core/testing";
import { testRedisUrl, useTestDatabase } from "@hubfed/db/testing";
import { createInMemoryJobQueues } from "@hubfed/jobs";
import {
  callOverHttp,
  changedTables,
  contextFor,
  databaseFingerprint,
  inputSchemaLeaves,
  listProcedures,
} from "./testing/hostile";

// Insecure direct object references: every procedure that takes the id (or slug) of something
// is called, as each role held at West Valley College and its course DATA 101, with the id of
// something that is not theirs: Cascade's course CS 120, its hub, request, assignment,
// submission, link, join code, invitation, calendar entries, another person's notification —
// alone, and beside one of their own course (their course's slug with another course's object).
// Each must be refused as FORBIDDEN or NOT_FOUND over HTTP, and leave the whole database as it was.
// The table below must name every procedure of the router: a new one fails until it is placed.

const database = useTestDatabase();
const queues = createInMemoryJobQueues();
const redis = new Redis(`${testRedisUrl()}/7`);
afterAll(() => redis.disconnect());

/** Ids of objects outside West Valley / DATA 101, and of DATA 101's own for the mixed cases. */
interface World {
  home: { course: string; hub: string; assignment: string; submission: string };
  foreign: {
    course: string;
    hub: string;
    request: string;
    draft: string;
    notification: string;
    joinCode: string;
    invitation: string;
    enrollment: string;
    revocation: string;
    link: string;
    date: string;
    window: string;
    assignment: string;
    assignmentId: string;
    submission: string;
    institution: string;
    pool: string;
    allocation: string;
    cluster: string;
  };
}

type Case =
  /**
   * Inputs naming objects that are not the caller's; `inScopeFor` lists the roles for whom the
   * object is in scope after all (ops act across the federation), who are not tried.
   */
  | { foreign: (world: World) => unknown[]; inScopeFor?: readonly Role[] }
  /** An id that only narrows the caller's own objects: another's matches nothing, changes nothing. */
  | { scopedToCaller: (world: World) => unknown[]; because: string }
  /** The value is itself the credential (a join code, an invitation token, a hub token). */
  | { capability: string }
  /** Takes no id of anything someone else may own. */
  | { noObject: string };

const opsOnly = ["ops"] as const;
const anyone = [] as const;
const validSettings = {
  title: "Lab",
  dueLocal: "2026-12-10T23:59",
  timeZone: "America/Los_Angeles",
  latePolicy: "NONE",
  latePenaltyPercentPerDay: null,
  points: 10,
  attemptsAllowed: null,
  hiddenResults: "AFTER_DUE",
};
const resourcesChange = {
  kind: "resources",
  memoryGuaranteeMib: 512,
  memoryLimitMib: 1024,
  cpuGuaranteeMilli: 250,
  cpuLimitMilli: 1000,
  startsOn: "2026-10-01",
  endsOn: "2026-10-08",
};

const cases: Record<string, Case> = {
  "me.get": { noObject: "the caller's own profile" },
  "me.hubs": { noObject: "the caller's own hubs" },
  "me.homeTasks": { noObject: "the caller's own tasks" },
  "region.list": { noObject: "the federation's regions (operators)" },
  "request.options": { noObject: "the form's choices" },
  "request.saveDraft": {
    foreign: (w) => [{ requestId: w.foreign.draft, draft: {}, withheldPaths: [] }],
    inScopeFor: anyone,
  },
  "request.submit": { foreign: (w) => [{ requestId: w.foreign.draft }], inScopeFor: anyone },
  "request.withdraw": { foreign: (w) => [{ requestId: w.foreign.draft }], inScopeFor: anyone },
  "request.comment": {
    foreign: (w) => [{ requestId: w.foreign.request, body: "let me in" }],
    inScopeFor: opsOnly,
  },
  "request.get": { foreign: (w) => [{ requestId: w.foreign.request }], inScopeFor: opsOnly },
  "request.mine": { noObject: "the caller's own requests" },
  "request.requestHubChange": {
    foreign: (w) => [{ hubSlug: w.foreign.hub, reason: "more memory", change: resourcesChange }],
  },
  "request.queue": { foreign: () => [{}], inScopeFor: opsOnly },
  "request.approvalOptions": { noObject: "the federation's clusters and pools (operators)" },
  "request.previewApproval": {
    foreign: (w) => [{ requestId: w.foreign.request, clusterId: w.foreign.cluster }],
    inScopeFor: opsOnly,
  },
  "request.approve": {
    foreign: (w) => [
      { requestId: w.foreign.request, clusterId: w.foreign.cluster, creditPoolId: w.foreign.pool },
    ],
    inScopeFor: opsOnly,
  },
  "request.approveChange": {
    foreign: (w) => [{ requestId: w.foreign.request }],
    inScopeFor: opsOnly,
  },
  "request.requestChanges": {
    foreign: (w) => [{ requestId: w.foreign.request, message: "change it" }],
    inScopeFor: opsOnly,
  },
  "request.reject": {
    foreign: (w) => [{ requestId: w.foreign.request, reason: "no" }],
    inScopeFor: opsOnly,
  },
  "notification.list": { noObject: "the caller's own inbox" },
  "notification.unreadCount": { noObject: "the caller's own inbox" },
  "notification.markRead": {
    scopedToCaller: (w) => [{ ids: [w.foreign.notification] }],
    because: "ids only pick among the caller's own unread notifications",
  },
  "credits.spendCsv": { noObject: "a month, scoped to what the caller may see" },
  "credits.overview": { noObject: "scoped to what the caller may see" },
  "credits.createPool": { foreign: () => [{ slug: "x" }], inScopeFor: opsOnly },
  "credits.topUpPool": {
    foreign: (w) => [{ poolId: w.foreign.pool, amountCents: 100n, idempotencyKey: "k-1" }],
    inScopeFor: opsOnly,
  },
  "credits.allocateToInstitution": {
    foreign: (w) => [
      {
        poolId: w.foreign.pool,
        institutionId: w.foreign.institution,
        amountCents: 100n,
        idempotencyKey: "k-2",
      },
    ],
    inScopeFor: opsOnly,
  },
  "credits.transferBetweenAllocations": {
    foreign: (w) => [
      {
        fromAllocationId: w.foreign.allocation,
        toAllocationId: w.foreign.allocation,
        amountCents: 100n,
        idempotencyKey: "k-3",
      },
    ],
    inScopeFor: opsOnly,
  },
  "credits.topUpHubAllocation": {
    foreign: (w) => [
      { allocationId: w.foreign.allocation, amountCents: 100n, idempotencyKey: "k-4" },
    ],
    inScopeFor: opsOnly,
  },
  "hub.get": { foreign: (w) => [{ slug: w.foreign.hub }], inScopeFor: opsOnly },
  "hub.retry": {
    foreign: (w) => [{ slug: w.foreign.hub, reason: "someone else's hub" }],
    inScopeFor: opsOnly,
  },
  "hub.suspend": {
    foreign: (w) => [{ slug: w.foreign.hub, reason: "someone else's hub" }],
    inScopeFor: opsOnly,
  },
  "hub.resume": {
    foreign: (w) => [{ slug: w.foreign.hub, reason: "someone else's hub" }],
    inScopeFor: opsOnly,
  },
  "hub.retire": {
    foreign: (w) => [{ slug: w.foreign.hub, reason: "someone else's hub" }],
    inScopeFor: opsOnly,
  },
  "hub.restart": {
    foreign: (w) => [{ slug: w.foreign.hub, reason: "someone else's hub" }],
    inScopeFor: opsOnly,
  },
  "usage.hubMetrics": { foreign: (w) => [{ slug: w.foreign.hub }], inScopeFor: opsOnly },
  "credits.courseSpend": {
    foreign: (w) => [{ courseSlug: w.foreign.course }],
    inScopeFor: opsOnly,
  },
  // Another institution named in a filter is refused, not quietly narrowed to nothing.
  "fleet.list": { foreign: (w) => [{ institutionId: w.foreign.institution }], inScopeFor: opsOnly },
  "fleet.csv": { foreign: (w) => [{ institutionId: w.foreign.institution }], inScopeFor: opsOnly },
  "fleet.filterChoices": { noObject: "scoped to what the caller may see" },
  "audit.list": { foreign: (w) => [{ institutionId: w.foreign.institution }], inScopeFor: opsOnly },
  "audit.csv": { foreign: (w) => [{ institutionId: w.foreign.institution }], inScopeFor: opsOnly },
  "audit.filterChoices": { noObject: "scoped to what the caller may see" },
  "jobs.overview": { noObject: "the federation's job queues (operators)" },
  "jobs.failed": { noObject: "the federation's job queues (operators)" },
  "jobs.retry": {
    foreign: () => [{ queue: "provisioning", jobId: "someone-elses-job" }],
    inScopeFor: opsOnly,
  },
  "enrollment.staffCourse": {
    foreign: (w) => [{ courseSlug: w.foreign.course }],
    inScopeFor: opsOnly,
  },
  "enrollment.overview": {
    foreign: (w) => [{ courseSlug: w.foreign.course }],
    inScopeFor: opsOnly,
  },
  "enrollment.roster": { foreign: (w) => [{ courseSlug: w.foreign.course }], inScopeFor: opsOnly },
  "enrollment.joinCodes": { foreign: (w) => [{ courseSlug: w.foreign.course }] },
  "enrollment.createJoinCode": { foreign: (w) => [{ courseSlug: w.foreign.course }] },
  "enrollment.revokeJoinCode": {
    foreign: (w) => [
      { courseSlug: w.foreign.course, joinCodeId: w.foreign.joinCode },
      { courseSlug: w.home.course, joinCodeId: w.foreign.joinCode },
    ],
  },
  "enrollment.describeJoinCode": { capability: "holding a join code is what lets one join" },
  "enrollment.join": { capability: "holding a join code is what lets one join" },
  "enrollment.previewRoster": {
    foreign: (w) => [{ courseSlug: w.foreign.course, csv: "email\nnew@cascade.edu\n" }],
  },
  "enrollment.importRoster": {
    foreign: (w) => [
      { courseSlug: w.foreign.course, csv: "email\nnew@cascade.edu\n", digest: "0".repeat(64) },
    ],
  },
  "enrollment.unenroll": {
    foreign: (w) => [
      { courseSlug: w.foreign.course, enrollmentId: w.foreign.enrollment },
      { courseSlug: w.home.course, enrollmentId: w.foreign.enrollment },
    ],
  },
  "enrollment.changeRole": {
    foreign: (w) => [
      { courseSlug: w.foreign.course, enrollmentId: w.foreign.enrollment, role: "STUDENT" },
      { courseSlug: w.home.course, enrollmentId: w.foreign.enrollment, role: "STUDENT" },
    ],
  },
  "enrollment.hubAccessChanges": {
    foreign: (w) => [{ courseSlug: w.foreign.course }],
    inScopeFor: opsOnly,
  },
  "enrollment.retryHubAccessChange": {
    foreign: (w) => [
      { courseSlug: w.foreign.course, revocationId: w.foreign.revocation },
      { courseSlug: w.home.course, revocationId: w.foreign.revocation },
    ],
  },
  "enrollment.launch": { foreign: (w) => [{ courseSlug: w.foreign.course }], inScopeFor: anyone },
  "enrollment.leave": { foreign: (w) => [{ courseSlug: w.foreign.course }], inScopeFor: anyone },
  "enrollment.invitations": { foreign: (w) => [{ courseSlug: w.foreign.course }] },
  "enrollment.invite": {
    foreign: (w) => [{ courseSlug: w.foreign.course, email: "someone@cascade.edu" }],
  },
  "enrollment.revokeInvitation": {
    foreign: (w) => [
      { courseSlug: w.foreign.course, invitationId: w.foreign.invitation },
      { courseSlug: w.home.course, invitationId: w.foreign.invitation },
    ],
  },
  "enrollment.myInvitations": { noObject: "invitations to the caller's own address" },
  "enrollment.describeInvitation": { capability: "the invitation token is the credential" },
  "enrollment.acceptInvitation": {
    foreign: (w) => [{ invitationId: w.foreign.invitation }],
    inScopeFor: anyone,
  },
  "identity.settings": { noObject: "the federation's sign-in settings (operators)" },
  "identity.configureInstitution": {
    foreign: () => [
      {
        institutionSlug: "cascade",
        issuer: "https://login.example.edu",
        clientId: "x",
        clientSecret: "y",
        emailDomains: ["cascade.edu"],
      },
    ],
    inScopeFor: opsOnly,
  },
  "identity.rotateHubSecret": { foreign: (w) => [{ hubSlug: w.foreign.hub }], inScopeFor: opsOnly },
  "identity.rotateSigningKey": { noObject: "the portal's own signing key (operators)" },
  "link.updateAllowList": {
    foreign: (w) => [{ courseSlug: w.foreign.course, entries: ["github.com/evil"] }],
    inScopeFor: opsOnly,
  },
  "link.list": { foreign: (w) => [{ courseSlug: w.foreign.course }], inScopeFor: opsOnly },
  "link.create": {
    foreign: (w) => [
      {
        courseSlug: w.foreign.course,
        title: "Week 2",
        repositoryUrl: "https://github.com/cascade-cs/cs120",
        branch: "main",
        path: "week2/intro.ipynb",
        interface: "CLASSIC",
      },
    ],
  },
  "link.archive": { foreign: (w) => [{ linkId: w.foreign.link }] },
  "gitops.exports": { noObject: "the federation's exports (operators)" },
  "gitops.export": { foreign: () => [{ regionSlug: "us-west" }], inScopeFor: opsOnly },
  "capacity.schedule": { foreign: (w) => [{ courseSlug: w.foreign.course }], inScopeFor: opsOnly },
  "capacity.saveMeetings": { foreign: (w) => [{ courseSlug: w.foreign.course, meetings: [] }] },
  "capacity.addImportantDate": {
    foreign: (w) => [
      {
        courseSlug: w.foreign.course,
        kind: "EXAM",
        title: "Surprise",
        startsAt: "2026-11-02T10:00",
      },
    ],
  },
  "capacity.removeImportantDate": {
    foreign: (w) => [
      { courseSlug: w.foreign.course, dateId: w.foreign.date },
      { courseSlug: w.home.course, dateId: w.foreign.date },
    ],
  },
  "capacity.requestWindow": {
    foreign: (w) => [
      {
        courseSlug: w.foreign.course,
        reason: "exam",
        startsAt: "2026-11-02T10:00",
        endsAt: "2026-11-02T12:00",
        seats: 10,
        memoryMibPerSeat: 512,
      },
    ],
  },
  "capacity.withdrawWindow": {
    foreign: (w) => [
      { courseSlug: w.foreign.course, windowId: w.foreign.window },
      { courseSlug: w.home.course, windowId: w.foreign.window },
    ],
  },
  "capacity.coursePlan": {
    foreign: (w) => [{ courseSlug: w.foreign.course }],
    inScopeFor: opsOnly,
  },
  "capacity.hubPlan": { foreign: (w) => [{ hubSlug: w.foreign.hub }], inScopeFor: opsOnly },
  "capacity.clusterPlans": { noObject: "the federation's clusters (operators)" },
  "capacity.pendingWindows": { noObject: "the federation's queue (operators)" },
  "capacity.decideWindow": {
    foreign: (w) => [{ windowId: w.foreign.window, decision: "APPROVED" }],
    inScopeFor: opsOnly,
  },
  "grading.list": { foreign: (w) => [{ courseSlug: w.foreign.course }] },
  "grading.detail": {
    foreign: (w) => [{ courseSlug: w.foreign.course, assignmentSlug: w.foreign.assignment }],
  },
  "grading.create": {
    foreign: (w) => [
      {
        courseSlug: w.foreign.course,
        settings: validSettings,
        source: {
          kind: "repository",
          repositoryUrl: "https://github.com/cascade-cs/cs120",
          branch: "main",
          path: "lab1",
        },
      },
    ],
  },
  "grading.update": {
    foreign: (w) => [
      {
        courseSlug: w.foreign.course,
        assignmentSlug: w.foreign.assignment,
        settings: validSettings,
      },
    ],
  },
  "grading.publish": {
    foreign: (w) => [{ courseSlug: w.foreign.course, assignmentSlug: w.foreign.assignment }],
  },
  "grading.archive": {
    foreign: (w) => [{ courseSlug: w.foreign.course, assignmentSlug: w.foreign.assignment }],
  },
  "grading.gradebook": { foreign: (w) => [{ courseSlug: w.foreign.course }] },
  "grading.gradebookCsv": { foreign: (w) => [{ courseSlug: w.foreign.course }] },
  "grading.submission": {
    foreign: (w) => [
      { courseSlug: w.foreign.course, submissionId: w.foreign.submission },
      { courseSlug: w.home.course, submissionId: w.foreign.submission },
    ],
    inScopeFor: anyone,
  },
  "grading.regrade": {
    foreign: (w) => [
      {
        courseSlug: w.foreign.course,
        assignmentSlug: w.foreign.assignment,
        submissionId: w.foreign.submission,
      },
      {
        courseSlug: w.home.course,
        assignmentSlug: w.home.assignment,
        submissionId: w.foreign.submission,
      },
    ],
  },
  "grading.submit": {
    foreign: (w) => [
      { courseSlug: w.foreign.course, assignmentSlug: w.foreign.assignment, notebook: "{}" },
    ],
    inScopeFor: anyone,
  },
  "grading.hubMaterial": {
    capability: "a student's server's JupyterHub token, vouched for by the hub it names",
  },
  "grading.hubSubmit": {
    capability: "a student's server's JupyterHub token, vouched for by the hub it names",
  },
};

const homeAccounts: Record<Exclude<Role, "student">, string> = {
  ops: "ops@hubfed.example",
  "institution-admin": "it-admin@westvalley.edu",
  instructor: "prof.rivera@westvalley.edu",
  ta: "ta.chen@westvalley.edu",
};
const actors = new Map<Role, Actor>();
let world: World;

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  const actorOf = async (userId: string) => {
    const actor = await loadActor(db, userId);
    if (!actor) throw new Error(`no actor ${userId}`);
    return actor;
  };
  for (const [role, email] of Object.entries(homeAccounts))
    actors.set(
      role as Role,
      await actorOf((await db.user.findUniqueOrThrow({ where: { email } })).id),
    );
  const data101 = await db.course.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
  const cs120 = await db.course.findUniqueOrThrow({ where: { slug: "ccc-cs-120-fa26" } });
  // DATA 101's own student (the demo's student is also in CS 120, so nothing there is foreign).
  const student = await db.user.create({
    data: { email: "only-data101@westvalley.edu", username: "only-data101" },
  });
  await db.enrollment.create({
    data: { userId: student.id, courseId: data101.id, role: "STUDENT" },
  });
  actors.set("student", await actorOf(student.id));

  // Cascade's things, and someone of theirs.
  const okafor = await db.user.findUniqueOrThrow({ where: { email: "prof.okafor@cascade.edu" } });
  const cascadeStudent = await db.user.create({
    data: { email: "only-cs120@cascade.edu", username: "only-cs120" },
  });
  const enrollment = await db.enrollment.create({
    data: { userId: cascadeStudent.id, courseId: cs120.id, role: "STUDENT" },
  });
  const hub = await db.hub.findUniqueOrThrow({ where: { slug: "ccc-cs-120-fa26" } });
  const request = await db.hubRequest.findFirstOrThrow({ where: { courseId: cs120.id } });
  const draft = await saveDraft(
    { db, actor: await actorOf(okafor.id) },
    { draft: { course: { title: "Cascade's next course" } } },
  );
  const notification = await db.notification.create({
    data: { userId: okafor.id, kind: "test", title: "For Chidi", body: "only theirs" },
  });
  const joinCode = await db.joinCode.create({
    data: { courseId: cs120.id, code: "CASCA-DE234", role: "STUDENT" },
  });
  const invitation = await db.courseInvitation.create({
    data: {
      courseId: cs120.id,
      email: "ta-to-be@cascade.edu",
      role: "TA",
      tokenHash: createHash("sha256").update(randomBytes(24)).digest("hex"),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const revocation = await db.hubAccessRevocation.create({
    data: {
      hubId: hub.id,
      userId: cascadeStudent.id,
      username: cascadeStudent.username,
      reason: "UNENROLLED",
      status: "FAILED",
    },
  });
  const link = await db.contentLink.findUniqueOrThrow({ where: { code: "cs120week1" } });
  const date = await db.importantDate.create({
    data: {
      courseId: cs120.id,
      kind: "EXAM",
      title: "Cascade midterm",
      startsAt: new Date("2026-10-20T17:00:00Z"),
    },
  });
  const window = await db.capacityWindow.create({
    data: {
      courseId: cs120.id,
      startsAt: new Date("2026-10-20T16:00:00Z"),
      endsAt: new Date("2026-10-20T19:00:00Z"),
      seats: 20,
      reason: "midterm",
      status: "PENDING",
    },
  });
  const assignment = await db.assignment.findFirstOrThrow({ where: { courseId: cs120.id } });
  const submission = await db.submission.create({
    data: {
      assignmentId: assignment.id,
      userId: cascadeStudent.id,
      attempt: 1,
      channel: "PORTAL",
      notebook: "{}",
      notebookSha256: "0".repeat(64),
      status: "GRADED",
      materialRevision: assignment.materialRevision,
    },
  });
  // DATA 101's own assignment and submission, for "my course, their submission".
  const { id: _id, createdAt: _c, updatedAt: _u, material, ...copied } = assignment;
  const homeAssignment = await db.assignment.create({
    data: { ...copied, material: material ?? {}, courseId: data101.id, slug: "data101-lab" },
  });
  const homeSubmission = await db.submission.create({
    data: {
      assignmentId: homeAssignment.id,
      userId: student.id,
      attempt: 1,
      channel: "PORTAL",
      notebook: "{}",
      notebookSha256: "0".repeat(64),
      status: "GRADED",
      materialRevision: homeAssignment.materialRevision,
    },
  });
  const cascade = await db.institution.findUniqueOrThrow({ where: { slug: "cascade" } });
  const pool = await db.creditPool.findUniqueOrThrow({ where: { slug: "cascade-onprem" } });
  const allocation = await db.allocation.findFirstOrThrow({ where: { hubId: hub.id } });
  world = {
    home: {
      course: data101.slug,
      hub: "wvc-data-101-fa26",
      assignment: homeAssignment.slug,
      submission: homeSubmission.id,
    },
    foreign: {
      course: cs120.slug,
      hub: hub.slug,
      request: request.id,
      draft: draft.id,
      notification: notification.id,
      joinCode: joinCode.id,
      invitation: invitation.id,
      enrollment: enrollment.id,
      revocation: revocation.id,
      link: link.id,
      date: date.id,
      window: window.id,
      assignment: assignment.slug,
      assignmentId: assignment.id,
      submission: submission.id,
      institution: cascade.id,
      pool: pool.id,
      allocation: allocation.id,
      cluster: hub.clusterId,
    },
  };
});

/** Input fields that name an object: the ones a hostile caller would swap. */
const objectField = /(^id$|^ids$|Id$|Ids$|[sS]lug$|^code$|^token$)/;

const procedures = listProcedures();

describe("insecure direct object references: every id-taking procedure with a foreign id", () => {
  it("has a case for every procedure of the router, and an object case for every id it takes", () => {
    const paths = procedures.map((procedure) => procedure.path);
    expect(
      paths.filter((path) => !(path in cases)),
      "procedures without a case",
    ).toEqual([]);
    expect(
      Object.keys(cases).filter((path) => !paths.includes(path)),
      "cases for no procedure",
    ).toEqual([]);
    for (const procedure of procedures) {
      const named = inputSchemaLeaves(procedure)
        .map((leaf) => leaf.path.at(-1) ?? "")
        .filter((name) => objectField.test(name));
      if (named.length > 0)
        expect(
          "noObject" in (cases[procedure.path] ?? {}),
          `${procedure.path} takes ${named.join(", ")}`,
        ).toBe(false);
    }
  });

  for (const procedure of procedures) {
    const entry = cases[procedure.path];
    if (!entry || "noObject" in entry || "capability" in entry) continue;
    it(`${procedure.path}: refuses another's object and changes nothing`, async () => {
      const db = database().db;
      const failures: string[] = [];
      const skipped = "foreign" in entry ? (entry.inScopeFor ?? ["ops"]) : [];
      for (const role of roles.filter((candidate) => !skipped.includes(candidate))) {
        const context = contextFor({ db, queues, redis }, actors.get(role));
        const inputs = "foreign" in entry ? entry.foreign(world) : entry.scopedToCaller(world);
        for (const input of inputs) {
          const before = await databaseFingerprint(db);
          const answer = await callOverHttp(procedure, input, context);
          const changed = changedTables(before, await databaseFingerprint(db));
          const refused = answer.code === "FORBIDDEN" || answer.code === "NOT_FOUND";
          if ("foreign" in entry ? !refused : answer.status >= 400)
            failures.push(
              `${role} ${show(input)}: HTTP ${answer.status} ${answer.code ?? "ok"} ${answer.message ?? ""}`,
            );
          if (changed.length > 0)
            failures.push(`${role} ${show(input)}: changed ${changed.join(", ")}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});

function show(input: unknown): string {
  return JSON.stringify(input, (_key, value: unknown) =>
    typeof value === "bigint" ? `${value}n` : value,
  );
}
