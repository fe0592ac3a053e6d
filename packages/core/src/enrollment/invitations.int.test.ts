import { describe, expect, it } from "vitest";
import { actorFor } from "../testing/demo-federation";
import { hashInvitationToken } from "./invitation-tokens";
import {
  acceptCourseInvitation,
  createCourseInvitation,
  describeInvitationByToken,
  listCourseInvitations,
  listMyInvitations,
  revokeCourseInvitation,
} from "./invitations";
import { actorOf, appErrorOf, useDemoFederation } from "./test-fixtures";

const { database, instructor } = useDemoFederation();
const courseSlug = "wvc-data-101-fa26";

function tokenOf(path: string): string {
  const token = path.replace("/invitations/", "");
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return token;
}

describe("TA invitations", () => {
  it("stores only a hash of the token, tells the invitee, and enrolls them as TA on acceptance", async () => {
    const db = database().db;
    const { invitation, path } = await createCourseInvitation(db, instructor(), {
      courseSlug,
      email: " New.TA@WestValley.edu ",
    });
    const token = tokenOf(path);
    const row = await db.courseInvitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(row.email).toBe("new.ta@westvalley.edu");
    expect(row.tokenHash).toBe(hashInvitationToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    // Nothing stored anywhere carries the token: not the notification, not the audit log.
    const notification = await db.notification.findFirstOrThrow({
      where: { user: { email: "new.ta@westvalley.edu" }, kind: "invitation.create" },
    });
    expect(notification.href).toBe("/invitations");
    expect(JSON.stringify(notification)).not.toContain(token);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { subjectId: invitation.id } });
    expect(JSON.stringify(audit)).not.toContain(token);

    const invitee = await db.user.findUniqueOrThrow({ where: { email: "new.ta@westvalley.edu" } });
    const inviteeActor = await actorOf(db, invitee.id);
    expect(await describeInvitationByToken(db, inviteeActor, token)).toMatchObject({
      state: "pending",
      isForSignedInPerson: true,
      role: "TA",
    });
    expect(await listMyInvitations(db, inviteeActor)).toHaveLength(1);
    expect(await acceptCourseInvitation(db, inviteeActor, { token })).toEqual({
      courseSlug,
      role: "TA",
    });
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: invitee.id } });
    expect(enrollment.role).toBe("TA");
    const again = await appErrorOf(acceptCourseInvitation(db, inviteeActor, { token }));
    expect(again.code).toBe("CONFLICT");
    expect(again.message).toMatch(/already been accepted/);
    expect(
      await db.auditEvent.count({
        where: { subjectId: invitation.id, action: "invitation.accept" },
      }),
    ).toBe(1);
  });

  it("refuses someone signed in with another email, even holding the link", async () => {
    const db = database().db;
    const { path } = await createCourseInvitation(db, instructor(), {
      courseSlug,
      email: "invited.person@westvalley.edu",
    });
    const stranger = await actorFor(db, "student@westvalley.edu");
    expect(await describeInvitationByToken(db, stranger, tokenOf(path))).toMatchObject({
      isForSignedInPerson: false,
      invitedEmail: "i•••••••••••••@westvalley.edu",
    });
    await expect(
      acceptCourseInvitation(db, stranger, { token: tokenOf(path) }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const enrollment = await db.enrollment.findFirstOrThrow({
      where: { userId: stranger.userId, course: { slug: courseSlug } },
    });
    expect(enrollment.role).toBe("STUDENT");
  });

  it("expires, can be revoked, and is replaced by a new invitation to the same email", async () => {
    const db = database().db;
    const first = await createCourseInvitation(db, instructor(), {
      courseSlug,
      email: "late@westvalley.edu",
    });
    const second = await createCourseInvitation(db, instructor(), {
      courseSlug,
      email: "late@westvalley.edu",
    });
    const invitee = await actorOf(
      db,
      (await db.user.findUniqueOrThrow({ where: { email: "late@westvalley.edu" } })).id,
    );
    expect(
      (await appErrorOf(acceptCourseInvitation(db, invitee, { token: tokenOf(first.path) })))
        .message,
    ).toMatch(/withdrawn/);

    await db.courseInvitation.update({
      where: { id: second.invitation.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(
      (await appErrorOf(acceptCourseInvitation(db, invitee, { token: tokenOf(second.path) })))
        .message,
    ).toMatch(/expired/);

    const third = await createCourseInvitation(db, instructor(), {
      courseSlug,
      email: "late@westvalley.edu",
    });
    const revoked = await revokeCourseInvitation(db, instructor(), {
      courseSlug,
      invitationId: third.invitation.id,
    });
    expect(revoked.state).toBe("revoked");
    expect(
      (await appErrorOf(acceptCourseInvitation(db, invitee, { invitationId: third.invitation.id })))
        .message,
    ).toMatch(/withdrawn/);
    expect(await db.enrollment.count({ where: { userId: invitee.userId } })).toBe(0);
    const states = (await listCourseInvitations(db, instructor(), courseSlug))
      .filter((invitation) => invitation.email === "late@westvalley.edu")
      .map((invitation) => invitation.state);
    expect(states).toEqual(["revoked", "expired", "revoked"]);
  });

  it("promotes a student to TA and refuses to invite existing staff", async () => {
    const db = database().db;
    const student = await actorFor(db, "student@westvalley.edu");
    const { invitation } = await createCourseInvitation(db, instructor(), {
      courseSlug,
      email: "student@westvalley.edu",
    });
    expect(await acceptCourseInvitation(db, student, { invitationId: invitation.id })).toEqual({
      courseSlug,
      role: "TA",
    });
    await expect(
      createCourseInvitation(db, instructor(), { courseSlug, email: "ta.chen@westvalley.edu" }),
    ).rejects.toMatchObject({ code: "CONFLICT", fieldErrors: { email: [expect.any(String)] } });
    await expect(
      createCourseInvitation(db, instructor(), { courseSlug, email: "not an email" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", fieldErrors: { email: [expect.any(String)] } });
  });

  it("may only be sent by those who manage enrollment", async () => {
    const db = database().db;
    const ta = await actorFor(db, "ta.chen@westvalley.edu");
    await expect(
      createCourseInvitation(db, ta, { courseSlug, email: "x@westvalley.edu" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
