import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { useTestDatabase } from "@hubfed/db/testing";
import { createInMemoryJobQueues, provisionJobId, queueNames } from "@hubfed/jobs";
import { availableCents } from "../credits";
import { isAppError } from "../errors";
import { applyDueSpecChanges } from "../hubs/spec-changes";
import { decommissionEndedHubs } from "../hubs/end-of-term";
import { hubSpecSchema } from "@hubfed/hub-spec";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { createChangeRequest, approveChangeRequest } from "./changes";
import type { HubRequestForm } from "./form";
import { approveRequest } from "./approval";
import { saveDraft, submitRequest, withdrawRequest } from "./authoring";
import { commentOnRequest, rejectRequest, requestChanges } from "./review";
import { getRequestDetail, listReviewQueue } from "./queries";

const database = useTestDatabase();
const queues = createInMemoryJobQueues();

let ops: Actor;
let instructor: Actor;
let student: Actor;
let cascadeInstructor: Actor;
let institutionAdmin: Actor;

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  ops = await actorFor(db, "ops@hubfed.example");
  instructor = await actorFor(db, "prof.rivera@westvalley.edu");
  student = await actorFor(db, "student@westvalley.edu");
  cascadeInstructor = await actorFor(db, "prof.okafor@cascade.edu");
  institutionAdmin = await actorFor(db, "it-admin@westvalley.edu");
});

function stat201(
  overrides: Partial<{ [K in keyof HubRequestForm]: Partial<HubRequestForm[K]> }> = {},
): HubRequestForm {
  const base: HubRequestForm = {
    institution: {
      name: "West Valley College",
      emailDomains: ["westvalley.edu"],
      contacts: [{ name: "Ana Rivera", email: "prof.rivera@westvalley.edu", role: "Faculty" }],
    },
    course: {
      code: "STAT 201",
      title: "Statistical Computing",
      term: "Spring 2027",
      startDate: "2027-01-25",
      endDate: "2027-05-21",
      timezone: "America/Los_Angeles",
    },
    schedule: {
      meetings: [{ label: "Lecture", dayOfWeek: 2, startTime: "09:00", durationMinutes: 75 }],
      importantDates: [{ kind: "EXAM", title: "Midterm", startsAt: "2027-03-16T09:00" }],
    },
    audience: { expectedEnrollment: 60, expectedConcurrentUsers: 40 },
    resources: {
      memoryGuaranteeMib: 1024,
      memoryLimitMib: 2048,
      cpuGuaranteeMilli: 250,
      cpuLimitMilli: 1000,
      storageGib: 5,
    },
    environment: { interface: "lab", image: { kind: "curated", name: "r" }, autograder: true },
    identity: { provider: "google", allowedEmailDomains: ["westvalley.edu"] },
    placement: { preferredRegion: "us-west", preferredCloud: "aws" },
  };
  return Object.fromEntries(
    Object.entries(base).map(([key, value]) => [
      key,
      { ...value, ...(overrides[key as keyof HubRequestForm] ?? {}) },
    ]),
  ) as HubRequestForm;
}

async function fieldErrorsOf(promise: Promise<unknown>): Promise<Record<string, string[]>> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error.fieldErrors;
    throw error;
  }
  throw new Error("expected the call to fail");
}

async function countRequests() {
  return database().db.hubRequest.count();
}

async function submittedRequest(form: HubRequestForm = stat201()) {
  const db = database().db;
  const draft = await saveDraft({ db, actor: instructor }, { draft: form });
  return submitRequest({ db, actor: instructor }, { requestId: draft.id });
}

describe("drafts and submission", () => {
  it("saves an incomplete draft, and submission names every missing field", async () => {
    const db = database().db;
    const draft = await saveDraft(
      { db, actor: instructor },
      { draft: { course: { code: "MATH 1" } } },
    );
    expect(draft.status).toBe("DRAFT");
    expect(draft.institutionId).not.toBeNull();
    const errors = await fieldErrorsOf(
      submitRequest({ db, actor: instructor }, { requestId: draft.id }),
    );
    expect(Object.keys(errors)).toEqual(
      expect.arrayContaining([
        "course.title",
        "course.startDate",
        "audience.expectedEnrollment",
        "institution.name",
      ]),
    );
    expect((await db.hubRequest.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe(
      "DRAFT",
    );
  });

  it("keeps the saved value at every path the form withheld, and clears what was cleared", async () => {
    const db = database().db;
    const first = await saveDraft(
      { db, actor: instructor },
      {
        draft: {
          course: { code: "MATH 2", title: "Linear algebra" },
          audience: { expectedEnrollment: 40, expectedConcurrentUsers: 20 },
          institution: { contacts: [{ name: "Ada", email: "ada@westvalley.edu", role: "IT" }] },
        },
      },
    );
    // Second visit: enrollment typed as 0 and a contact row half-filled are withheld; the title cleared.
    const second = await saveDraft(
      { db, actor: instructor },
      {
        requestId: first.id,
        draft: { course: { code: "MATH 2" }, audience: { expectedConcurrentUsers: 25 } },
        withheldPaths: ["audience.expectedEnrollment", "institution.contacts"],
      },
    );
    expect(second.form).toEqual({
      course: { code: "MATH 2" },
      audience: { expectedEnrollment: 40, expectedConcurrentUsers: 25 },
      institution: { contacts: [{ name: "Ada", email: "ada@westvalley.edu", role: "IT" }] },
    });
  });

  it.each([
    ["an over-long title", { course: { title: "x".repeat(201) } }, "course.title"],
    [
      "a negative enrollment",
      { audience: { expectedEnrollment: -5 } },
      "audience.expectedEnrollment",
    ],
    ["a malformed date", { course: { startDate: "2027-02-30" } }, "course.startDate"],
    ["a date that is not a date", { course: { endDate: "next tuesday" } }, "course.endDate"],
    [
      "10 000 important dates",
      {
        schedule: {
          importantDates: Array.from({ length: 10_000 }, () => ({
            kind: "EXAM",
            title: "Exam",
            startsAt: "2027-03-01T09:00",
          })),
        },
      },
      "schedule.importantDates",
    ],
  ])("refuses %s with a field error and creates nothing", async (_name, draft, field) => {
    const before = await countRequests();
    const errors = await fieldErrorsOf(
      saveDraft({ db: database().db, actor: instructor }, { draft }),
    );
    expect(errors[field]?.length).toBeGreaterThan(0);
    expect(await countRequests()).toBe(before);
  });

  it("refuses an unknown region with a field error and creates nothing", async () => {
    const before = await countRequests();
    const errors = await fieldErrorsOf(
      saveDraft(
        { db: database().db, actor: instructor },
        { draft: { placement: { preferredRegion: "mars-north" } } },
      ),
    );
    expect(errors["placement.preferredRegion"]).toEqual(['there is no region "mars-north"']);
    expect(await countRequests()).toBe(before);
  });

  it("refuses to submit an end date before the start date, on the end date field", async () => {
    const db = database().db;
    const draft = await saveDraft(
      { db, actor: instructor },
      { draft: stat201({ course: { startDate: "2027-05-01", endDate: "2027-01-01" } }) },
    );
    const errors = await fieldErrorsOf(
      submitRequest({ db, actor: instructor }, { requestId: draft.id }),
    );
    expect(errors["course.endDate"]).toEqual(["must be after the start date"]);
  });

  it("stores markup as text, unchanged (the pages render it inert)", async () => {
    const db = database().db;
    const draft = await saveDraft(
      { db, actor: instructor },
      { draft: stat201({ course: { title: "<script>alert(1)</script>" } }) },
    );
    expect(draft.courseTitle).toBe("<script>alert(1)</script>");
  });

  it("estimates a complete draft with the same function ops see", async () => {
    const db = database().db;
    const draft = await saveDraft({ db, actor: instructor }, { draft: stat201() });
    expect(draft.estimateTotalCents).toBeGreaterThan(0n);
    const detail = await getRequestDetail(db, instructor, draft.id);
    expect(detail.estimate?.assumptions.join(" ")).toContain("r5.xlarge");
  });
});

describe("review", () => {
  it("goes draft → submitted → changes requested → resubmitted → approved, with history, messages and notifications", async () => {
    const db = database().db;
    const submitted = await submittedRequest();
    expect(submitted.status).toBe("SUBMITTED");
    const queue = (await listReviewQueue(db, ops, {})).items;
    expect(queue.map((entry) => entry.id)).toContain(submitted.id);

    await requestChanges(
      { db, actor: ops },
      { requestId: submitted.id, message: "Please plan for 80 students." },
    );
    await saveDraft(
      { db, actor: instructor },
      { requestId: submitted.id, draft: stat201({ audience: { expectedEnrollment: 80 } }) },
    );
    await commentOnRequest(
      { db, actor: instructor },
      { requestId: submitted.id, body: "Done — 80 it is." },
    );
    await submitRequest({ db, actor: instructor }, { requestId: submitted.id });

    const awsCluster = await db.cluster.findFirstOrThrow({ where: { slug: "aws-eks-1" } });
    const awsPool = await db.creditPool.findUniqueOrThrow({
      where: { slug: "aws-cloud-credits-2026" },
      include: { ledgerAccount: true },
    });
    const availableBefore = availableCents(awsPool.ledgerAccount);
    const { hub } = await approveRequest(
      { db, actor: ops, queues },
      { requestId: submitted.id, clusterId: awsCluster.id, creditPoolId: awsPool.id },
    );

    const detail = await getRequestDetail(db, instructor, submitted.id);
    expect(detail.status).toBe("APPROVED");
    expect(detail.history.map((entry) => entry.to)).toEqual([
      "DRAFT",
      "SUBMITTED",
      "CHANGES_REQUESTED",
      "SUBMITTED",
      "APPROVED",
    ]);
    expect(detail.comments.map((entry) => entry.body)).toEqual([
      "Please plan for 80 students.",
      "Done — 80 it is.",
    ]);
    expect(detail.hub?.status).toBe("PENDING");
    expect(detail.hold?.state).toBe("HELD");
    expect(detail.hold?.amountCents).toBe(detail.estimate?.totalCents);
    const poolAfter = await db.ledgerAccount.findUniqueOrThrow({
      where: { id: awsPool.ledgerAccountId },
    });
    expect(availableBefore - availableCents(poolAfter)).toBe(detail.estimate?.totalCents);

    const course = await db.course.findUniqueOrThrow({
      where: { id: hub.courseId },
      include: { meetings: true, importantDates: true, enrollments: true },
    });
    expect(course.meetings).toHaveLength(1);
    // 09:00 in Los Angeles on 16 March 2027 (daylight time, UTC−7) is 16:00 UTC.
    expect(course.importantDates[0]?.startsAt.toISOString()).toBe("2027-03-16T16:00:00.000Z");
    expect(course.enrollments).toEqual([
      expect.objectContaining({ userId: instructor.userId, role: "INSTRUCTOR" }),
    ]);

    const job = queues.getJob(queueNames.provisioning, provisionJobId(hub.id, { specRevision: 1 }));
    expect(job?.data).toEqual({ hubId: hub.id, trigger: "approval" });
    expect(
      await db.notification.count({
        where: { userId: instructor.userId, kind: "hub-request.approved" },
      }),
    ).toBe(1);
    expect(
      await db.notification.count({ where: { userId: ops.userId, kind: "hub-request.submitted" } }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      await db.auditEvent.count({ where: { subjectId: submitted.id } }),
    ).toBeGreaterThanOrEqual(5);
  });

  it("approves exactly once when two operators approve at the same moment", async () => {
    const db = database().db;
    const submitted = await submittedRequest(
      stat201({ course: { code: "STAT 202", title: "Race conditions" } }),
    );
    const awsCluster = await db.cluster.findFirstOrThrow({ where: { slug: "aws-eks-1" } });
    const awsPool = await db.creditPool.findUniqueOrThrow({
      where: { slug: "aws-cloud-credits-2026" },
    });
    const coursesBefore = await db.course.count();
    const hubsBefore = await db.hub.count();
    const holdsBefore = await db.ledgerTransfer.count({ where: { kind: "PENDING" } });
    const approve = () =>
      approveRequest(
        { db, actor: ops, queues },
        { requestId: submitted.id, clusterId: awsCluster.id, creditPoolId: awsPool.id },
      );
    const outcomes = await Promise.allSettled([approve(), approve(), approve()]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(await db.course.count()).toBe(coursesBefore + 1);
    expect(await db.hub.count()).toBe(hubsBefore + 1);
    expect(await db.ledgerTransfer.count({ where: { kind: "PENDING" } })).toBe(holdsBefore + 1);
    expect(
      await db.hubRequestTransition.count({
        where: { requestId: submitted.id, toStatus: "APPROVED" },
      }),
    ).toBe(1);
  });

  it("refuses a pool on another cloud, an unknown pool and a pool too small, on the pool field", async () => {
    const db = database().db;
    const submitted = await submittedRequest(stat201({ course: { code: "STAT 203" } }));
    const awsCluster = await db.cluster.findFirstOrThrow({ where: { slug: "aws-eks-1" } });
    const gcpPool = await db.creditPool.findUniqueOrThrow({
      where: { slug: "gcp-education-2026" },
    });
    const onPremPool = await db.creditPool.findUniqueOrThrow({
      where: { slug: "west-valley-onprem" },
    });
    const localCluster = await db.cluster.findFirstOrThrow({ where: { slug: "local-vm" } });
    const approve = (clusterId: string, creditPoolId: string) =>
      approveRequest(
        { db, actor: ops, queues },
        { requestId: submitted.id, clusterId, creditPoolId },
      );
    expect(Object.keys(await fieldErrorsOf(approve(awsCluster.id, gcpPool.id)))).toEqual([
      "creditPoolId",
    ]);
    expect(Object.keys(await fieldErrorsOf(approve(awsCluster.id, "no-such-pool")))).toEqual([
      "creditPoolId",
    ]);
    expect(Object.keys(await fieldErrorsOf(approve("no-such-cluster", gcpPool.id)))).toEqual([
      "clusterId",
    ]);
    const bigRequest = await submittedRequest(
      stat201({
        course: { code: "STAT 299" },
        audience: { expectedEnrollment: 5000, expectedConcurrentUsers: 5000 },
        resources: { storageGib: 200 },
      }),
    );
    const errors = await fieldErrorsOf(
      approveRequest(
        { db, actor: ops, queues },
        { requestId: bigRequest.id, clusterId: localCluster.id, creditPoolId: onPremPool.id },
      ),
    );
    expect(errors.creditPoolId?.[0]).toMatch(/available; the estimate is/);
    expect((await db.hubRequest.findUniqueOrThrow({ where: { id: submitted.id } })).status).toBe(
      "SUBMITTED",
    );
  });

  it("lets only ops decide, and shows requests only to their requester, institution admins and ops", async () => {
    const db = database().db;
    const submitted = await submittedRequest(stat201({ course: { code: "STAT 204" } }));
    await expect(
      rejectRequest({ db, actor: instructor }, { requestId: submitted.id, reason: "no" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(listReviewQueue(db, institutionAdmin, {})).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(getRequestDetail(db, cascadeInstructor, submitted.id)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(getRequestDetail(db, student, submitted.id)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await getRequestDetail(db, institutionAdmin, submitted.id)).id).toBe(submitted.id);
    await expect(
      withdrawRequest({ db, actor: institutionAdmin }, { requestId: submitted.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await withdrawRequest({ db, actor: instructor }, { requestId: submitted.id });
    await expect(
      rejectRequest({ db, actor: ops }, { requestId: submitted.id, reason: "late" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

describe("change requests and the end of term", () => {
  it("applies a time-boxed memory increase and reverts it when the window closes", async () => {
    const db = database().db;
    const hub = await db.hub.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Los_Angeles" }).format(
      new Date(),
    );
    const change = await createChangeRequest(
      { db, actor: instructor },
      {
        hubSlug: hub.slug,
        reason: "Midterm week",
        change: {
          kind: "resources",
          memoryGuaranteeMib: 2048,
          memoryLimitMib: 4096,
          cpuGuaranteeMilli: 500,
          cpuLimitMilli: 2000,
          startsOn: today,
          endsOn: today,
        },
      },
    );
    expect(change.status).toBe("SUBMITTED");
    // Its cost is priced like a new request's: twice the memory and CPU for a day costs more.
    expect(change.estimateTotalCents).toBeGreaterThan(0n);
    await expect(
      createChangeRequest(
        { db, actor: student },
        { hubSlug: hub.slug, reason: "more", change: { kind: "storage", storageGib: 50 } },
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });

    await approveChangeRequest({ db, actor: ops, queues }, { requestId: change.id });
    const during = await db.hub.findUniqueOrThrow({ where: { id: hub.id } });
    expect(hubSpecSchema.parse(during.spec).memoryGuaranteeMib).toBe(2048);
    expect(during.specRevision).toBe(hub.specRevision + 1);

    const afterWindow = new Date(Date.now() + 3 * 86_400_000);
    expect(await applyDueSpecChanges(db, { queues, now: afterWindow })).toEqual({
      applied: 0,
      reverted: 1,
    });
    expect(await applyDueSpecChanges(db, { queues, now: afterWindow })).toEqual({
      applied: 0,
      reverted: 0,
    });
    const after = await db.hub.findUniqueOrThrow({ where: { id: hub.id } });
    expect(hubSpecSchema.parse(after.spec).memoryGuaranteeMib).toBe(1024);
    expect(hubSpecSchema.parse(after.spec).cpuGuaranteeMilli).toBe(250);
  });

  it("refuses a storage decrease and an earlier end date on their fields", async () => {
    const db = database().db;
    const storage = await fieldErrorsOf(
      createChangeRequest(
        { db, actor: instructor },
        {
          hubSlug: "wvc-data-101-fa26",
          reason: "less",
          change: { kind: "storage", storageGib: 5 },
        },
      ),
    );
    expect(Object.keys(storage)).toEqual(["change.storageGib"]);
    const endDate = await fieldErrorsOf(
      createChangeRequest(
        { db, actor: instructor },
        {
          hubSlug: "wvc-data-101-fa26",
          reason: "early",
          change: { kind: "end-date", endDate: "2026-09-01" },
        },
      ),
    );
    expect(Object.keys(endDate)).toEqual(["change.endDate"]);
  });

  it("switches the autograder with a change request, and refuses one that changes nothing", async () => {
    const db = database().db;
    const hub = await db.hub.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
    const before = hubSpecSchema.parse(hub.spec).autograder.isEnabled;
    const unchanged = await fieldErrorsOf(
      createChangeRequest(
        { db, actor: instructor },
        { hubSlug: hub.slug, reason: "same", change: { kind: "autograder", isEnabled: before } },
      ),
    );
    expect(Object.keys(unchanged)).toEqual(["change.isEnabled"]);
    const change = await createChangeRequest(
      { db, actor: instructor },
      {
        hubSlug: hub.slug,
        reason: "no grading",
        change: { kind: "autograder", isEnabled: !before },
      },
    );
    await approveChangeRequest({ db, actor: ops, queues }, { requestId: change.id });
    const after = await db.hub.findUniqueOrThrow({ where: { id: hub.id } });
    expect(hubSpecSchema.parse(after.spec).autograder.isEnabled).toBe(!before);
    expect(after.specRevision).toBe(hub.specRevision + 1);
  });

  it("moves hubs to DECOMMISSIONING after the end date plus grace, once", async () => {
    const db = database().db;
    const afterTerm = new Date("2027-01-15T00:00:00Z");
    const moved = await decommissionEndedHubs(db, { now: afterTerm, graceDays: 14 });
    expect(moved).toContain("wvc-data-101-fa26");
    expect(await decommissionEndedHubs(db, { now: afterTerm, graceDays: 14 })).toEqual([]);
    const hub = await db.hub.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
    expect(hub.status).toBe("DECOMMISSIONING");
    expect(
      await db.auditEvent.count({ where: { subjectId: hub.id, action: "hub.status-change" } }),
    ).toBe(1);
    expect(
      await db.notification.count({
        where: { userId: instructor.userId, kind: "hub.status-change" },
      }),
    ).toBe(1);
  });
});
