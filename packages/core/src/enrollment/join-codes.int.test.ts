import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { AppError } from "../errors";
import { actorFor } from "../testing/demo-federation";
import {
  createJoinCode,
  describeJoinCodeFor,
  joinWithCode,
  listJoinCodes,
  revokeJoinCode,
} from "./join-codes";
import { generateJoinCode } from "./join-code-format";
import { appErrorOf, createStudent, useDemoFederation } from "./test-fixtures";

const { database, instructor } = useDemoFederation();
const course = "wvc-data-101-fa26";
let ta: Actor;

beforeAll(async () => {
  ta = await actorFor(database().db, "ta.chen@westvalley.edu");
});

describe("join codes", () => {
  it("enrolls a student once; joining again says so and uses nothing", async () => {
    const db = database().db;
    const code = await createJoinCode(db, instructor(), { courseSlug: course });
    expect(code.role).toBe("STUDENT");
    const { user, actor } = await createStudent(db);

    expect(await joinWithCode(db, actor, code.code.toLowerCase().replace("-", " "))).toEqual({
      outcome: "enrolled",
      courseSlug: course,
      role: "STUDENT",
    });
    expect((await joinWithCode(db, actor, code.code)).outcome).toBe("already-enrolled");

    const row = await db.joinCode.findUniqueOrThrow({ where: { id: code.id } });
    expect(row.useCount).toBe(1);
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: user.id } });
    expect(enrollment.role).toBe("STUDENT");
    const events = await db.auditEvent.findMany({
      where: { subjectId: { in: [enrollment.id, row.courseId] } },
      select: { action: true },
    });
    expect(events.map((event) => event.action)).toEqual(
      expect.arrayContaining(["enrollment.join", "join-code.create"]),
    );
  });

  it("refuses expired, revoked and unknown codes with a clear message", async () => {
    const db = database().db;
    const expiring = await createJoinCode(db, instructor(), {
      courseSlug: course,
      expiresAt: new Date(Date.now() + 60_000),
    });
    await db.joinCode.update({
      where: { id: expiring.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const { actor } = await createStudent(db);
    expect((await appErrorOf(joinWithCode(db, actor, expiring.code))).message).toMatch(/expired/);

    const revoked = await createJoinCode(db, instructor(), { courseSlug: course });
    expect(
      (await revokeJoinCode(db, instructor(), { courseSlug: course, joinCodeId: revoked.id }))
        .state,
    ).toBe("revoked");
    const revokedError = await appErrorOf(joinWithCode(db, actor, revoked.code));
    expect(revokedError.message).toMatch(/withdrawn/);
    expect(revokedError.fieldErrors.code).toHaveLength(1);

    expect((await appErrorOf(joinWithCode(db, actor, "ZZZZZ-ZZZZZ"))).code).toBe("NOT_FOUND");
    expect((await describeJoinCodeFor(db, actor, revoked.code)).state).toBe("revoked");
    expect(await db.enrollment.count({ where: { userId: actor.userId } })).toBe(0);
  });

  it("never lets more people join than maxUses, however many join at once", async () => {
    const db = database().db;
    const code = await createJoinCode(db, instructor(), { courseSlug: course, maxUses: 5 });
    const students = await Promise.all(Array.from({ length: 20 }, () => createStudent(db)));
    const results = await Promise.allSettled(
      students.map(({ actor }) => joinWithCode(db, actor, code.code)),
    );
    const joined = results.filter((result) => result.status === "fulfilled");
    const refused = results.filter((result) => result.status === "rejected");
    expect(joined).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const result of refused) {
      const reason: unknown = result.reason;
      expect(reason).toBeInstanceOf(AppError);
      expect((reason as AppError).code).toBe("CONFLICT");
      expect((reason as AppError).message).toMatch(/used as many times/);
    }
    expect((await db.joinCode.findUniqueOrThrow({ where: { id: code.id } })).useCount).toBe(5);
    expect(
      await db.enrollment.count({
        where: { userId: { in: students.map(({ user }) => user.id) } },
      }),
    ).toBe(5);
  });

  it("counts one use when the same person joins twice at once", async () => {
    const db = database().db;
    const code = await createJoinCode(db, instructor(), { courseSlug: course, maxUses: 10 });
    const { actor } = await createStudent(db);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => joinWithCode(db, actor, code.code)),
    );
    expect(results.filter((result) => result.outcome === "enrolled")).toHaveLength(1);
    expect((await db.joinCode.findUniqueOrThrow({ where: { id: code.id } })).useCount).toBe(1);
  });

  it("is managed by instructors only: TAs may not create codes, other courses' staff see nothing", async () => {
    const db = database().db;
    expect((await appErrorOf(createJoinCode(db, ta, { courseSlug: course }))).code).toBe(
      "FORBIDDEN",
    );
    const otherInstructor = await actorFor(db, "prof.okafor@cascade.edu");
    expect((await appErrorOf(listJoinCodes(db, otherInstructor, course))).code).toBe("NOT_FOUND");
    const admin = await actorFor(db, "it-admin@westvalley.edu");
    expect((await listJoinCodes(db, admin, course)).length).toBeGreaterThan(0);
  });

  it("access outlives enrolment: a forwarded join code never makes anyone a TA", async () => {
    const db = database().db;
    // A TA code must name its TAs.
    const unbound = await appErrorOf(
      createJoinCode(db, instructor(), { courseSlug: course, role: "TA" }),
    );
    expect(unbound.code).toBe("BAD_REQUEST");
    expect(unbound.fieldErrors.boundEmails).toEqual([
      "A TA code must name the TAs' email addresses",
    ]);

    const invited = await createStudent(db, "ta-to-be");
    const code = await createJoinCode(db, instructor(), {
      courseSlug: course,
      role: "TA",
      boundEmails: [` ${invited.user.email?.toUpperCase() ?? ""} `],
    });
    expect(code.boundEmails).toEqual([invited.user.email]);

    // Someone the code was forwarded to: refused, told why, nothing used up.
    const stranger = await createStudent(db, "forwarded");
    expect((await describeJoinCodeFor(db, stranger.actor, code.code)).isForSignedInPerson).toBe(
      false,
    );
    const refused = await appErrorOf(joinWithCode(db, stranger.actor, code.code));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.fieldErrors.code?.[0]).toMatch(/named people only/);
    expect(await db.enrollment.count({ where: { userId: stranger.user.id } })).toBe(0);
    expect((await db.joinCode.findUniqueOrThrow({ where: { id: code.id } })).useCount).toBe(0);

    // The named person joins as a TA.
    expect((await describeJoinCodeFor(db, invited.actor, code.code)).isForSignedInPerson).toBe(
      true,
    );
    expect(await joinWithCode(db, invited.actor, code.code)).toMatchObject({
      outcome: "enrolled",
      role: "TA",
    });

    // A TA code from before codes could be bound admits nobody.
    const { id: courseId } = await db.course.findUniqueOrThrow({ where: { slug: course } });
    const legacy = await db.joinCode.create({
      data: { courseId, code: generateJoinCode(), role: "TA" },
    });
    const holder = await createStudent(db, "legacy-holder");
    expect((await appErrorOf(joinWithCode(db, holder.actor, legacy.code))).message).toMatch(
      /can no longer make anyone a TA/,
    );
    expect(await db.enrollment.count({ where: { userId: holder.user.id } })).toBe(0);
  });

  it("refuses a past expiry and a zero cap field by field", async () => {
    const db = database().db;
    const refusal = await appErrorOf(
      createJoinCode(db, instructor(), {
        courseSlug: course,
        expiresAt: new Date(Date.now() - 1000),
        maxUses: 0,
      }),
    );
    expect(refusal.code).toBe("BAD_REQUEST");
    expect(refusal.fieldErrors).toMatchObject({
      maxUses: ["At least one use"],
      expiresAt: ["The expiry must be in the future"],
    });
  });
});
