import { beforeAll, describe, expect, it } from "vitest";
import { createInMemoryJobQueues, revokeHubAccessJob, revokeHubAccessJobId } from "@hubfed/jobs";
import { actorFor } from "../testing/demo-federation";
import { listHubAccessChanges } from "./hub-access";
import { changeCourseRole, leaveCourse, unenrollFromCourse } from "./roster";
import { appErrorOf, createHub, createStudent, useDemoFederation } from "./test-fixtures";

// Access outlives enrolment, in core: what leaving a course or its staff records and queues.
// (The hubs' side runs against a real JupyterHub in provisioning/access-outlives-enrolment.*.)

const { database, instructor } = useDemoFederation();
const queues = createInMemoryJobQueues();
const courseSlug = "wvc-data-101-fa26";

async function enroll(role: "STUDENT" | "TA" | "INSTRUCTOR") {
  const db = database().db;
  const person = await createStudent(db, role.toLowerCase());
  const course = await db.course.findUniqueOrThrow({ where: { slug: courseSlug } });
  const enrollment = await db.enrollment.create({
    data: { userId: person.user.id, courseId: course.id, role },
  });
  return { ...person, enrollmentId: enrollment.id };
}

/** A sign-in grant and tokens the portal's provider would hold for this person at a hub. */
async function issueSignIn(userId: string, clientId: string) {
  for (const model of ["Grant", "AccessToken", "RefreshToken"])
    await database().db.oidcArtifact.create({
      data: {
        model,
        id: `${model}-${userId}-${clientId}`,
        payload: { accountId: userId, clientId },
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
}

async function signInsOf(userId: string) {
  return database().db.oidcArtifact.count({
    where: { payload: { path: ["accountId"], equals: userId } },
  });
}

let runningHubId = "";

beforeAll(async () => {
  const db = database().db;
  // DATA 101's hub runs; a second section was never provisioned and a third is archived.
  const running = await db.hub.update({
    where: { slug: courseSlug },
    data: { status: "READY", appliedRevision: 1 },
  });
  runningHubId = running.id;
  await createHub(db, {
    courseSlug,
    clusterSlug: "gcp-gke-1",
    slug: "data-101-s2",
    status: "PENDING",
  });
  const archived = await createHub(db, {
    courseSlug,
    clusterSlug: "gcp-gke-1",
    slug: "data-101-old",
    status: "ARCHIVED",
  });
  await db.hub.update({ where: { id: archived.id }, data: { appliedRevision: 3 } });
  await db.hubOidcClient.create({
    data: {
      hubId: running.id,
      clientId: `hub-${courseSlug}`,
      clientSecretEncrypted: "sealed",
      redirectUris: [`https://${courseSlug}.example/hub/oauth_callback`],
    },
  });
});

describe("access outlives enrolment: what core records", () => {
  it("removing a student queues one removal per running hub and revokes their portal sign-ins", async () => {
    const db = database().db;
    const student = await enroll("STUDENT");
    const bystander = await enroll("STUDENT");
    await issueSignIn(student.user.id, `hub-${courseSlug}`);
    await issueSignIn(bystander.user.id, `hub-${courseSlug}`);
    // Another course's hub is none of this course's business.
    await issueSignIn(student.user.id, "hub-ccc-cs-120-fa26");

    await unenrollFromCourse(db, instructor(), queues, {
      courseSlug,
      enrollmentId: student.enrollmentId,
    });

    const rows = await db.hubAccessRevocation.findMany({ where: { userId: student.user.id } });
    expect(rows).toEqual([
      expect.objectContaining({
        hubId: runningHubId,
        username: student.user.username,
        reason: "UNENROLLED",
        status: "PENDING",
      }),
    ]);
    expect(queues.getJob("hub-access", revokeHubAccessJobId(rows[0]?.id ?? ""))).toMatchObject({
      name: revokeHubAccessJob.name,
      data: { revocationId: rows[0]?.id },
    });
    expect(await signInsOf(student.user.id)).toBe(3);
    expect(
      await db.oidcArtifact.count({
        where: {
          payload: { path: ["accountId"], equals: student.user.id },
          AND: { payload: { path: ["clientId"], equals: `hub-${courseSlug}` } },
        },
      }),
    ).toBe(0);
    expect(await signInsOf(bystander.user.id)).toBe(3);
  });

  it("leaving a course takes hub access away as removal does", async () => {
    const db = database().db;
    const student = await enroll("STUDENT");
    await leaveCourse(db, student.actor, queues, courseSlug);
    expect(
      await db.hubAccessRevocation.count({
        where: { userId: student.user.id, reason: "UNENROLLED" },
      }),
    ).toBe(1);
  });

  it("demoting a TA takes admin away on the hubs but keeps their portal sign-ins", async () => {
    const db = database().db;
    const ta = await enroll("TA");
    await issueSignIn(ta.user.id, `hub-${courseSlug}`);
    expect(
      await changeCourseRole(db, instructor(), queues, {
        courseSlug,
        enrollmentId: ta.enrollmentId,
        role: "STUDENT",
      }),
    ).toEqual({ role: "STUDENT" });
    expect((await db.enrollment.findUniqueOrThrow({ where: { id: ta.enrollmentId } })).role).toBe(
      "STUDENT",
    );
    expect(
      await db.hubAccessRevocation.count({
        where: { userId: ta.user.id, reason: "ROLE_CHANGED", hubId: runningHubId },
      }),
    ).toBe(1);
    // Still a student: their sign-ins stay good, and the hub's refresh gives them the new role.
    expect(await signInsOf(ta.user.id)).toBe(3);
    expect(
      await db.auditEvent.count({
        where: { action: "enrollment.role-change", subjectId: ta.enrollmentId },
      }),
    ).toBe(1);
    expect(
      await db.notification.count({
        where: { userId: ta.user.id, kind: "enrollment.role-change" },
      }),
    ).toBe(1);
  });

  it("only ever lowers a role, never leaves a course without an instructor, and only by managers", async () => {
    const db = database().db;
    const student = await enroll("STUDENT");
    const promotion = await appErrorOf(
      changeCourseRole(db, instructor(), queues, {
        courseSlug,
        enrollmentId: student.enrollmentId,
        role: "TA",
      }),
    );
    expect(promotion.code).toBe("BAD_REQUEST");
    expect(promotion.fieldErrors.role?.[0]).toMatch(/invite them by email/);

    const own = await db.enrollment.findFirstOrThrow({
      where: { userId: instructor().userId, course: { slug: courseSlug } },
    });
    const lastInstructor = await appErrorOf(
      changeCourseRole(db, instructor(), queues, {
        courseSlug,
        enrollmentId: own.id,
        role: "TA",
      }),
    );
    expect(lastInstructor.code).toBe("CONFLICT");
    expect((await db.enrollment.findUniqueOrThrow({ where: { id: own.id } })).role).toBe(
      "INSTRUCTOR",
    );

    const ta = await actorFor(db, "ta.chen@westvalley.edu");
    const other = await enroll("TA");
    expect(
      (
        await appErrorOf(
          changeCourseRole(db, ta, queues, {
            courseSlug,
            enrollmentId: other.enrollmentId,
            role: "STUDENT",
          }),
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(
      await db.hubAccessRevocation.count({
        where: { userId: { in: [student.user.id, other.user.id, instructor().userId] } },
      }),
    ).toBe(0);
  });

  it("lists the course's hub access changes to its staff, and no other course's", async () => {
    const db = database().db;
    const changes = await listHubAccessChanges(db, instructor(), courseSlug);
    expect(changes.length).toBeGreaterThanOrEqual(3);
    expect(changes.every((change) => change.hubSlug === courseSlug)).toBe(true);
    expect(changes.every((change) => change.detail === null)).toBe(true);
    const otherInstructor = await actorFor(db, "prof.okafor@cascade.edu");
    expect((await appErrorOf(listHubAccessChanges(db, otherInstructor, courseSlug))).code).toBe(
      "NOT_FOUND",
    );
  });
});
