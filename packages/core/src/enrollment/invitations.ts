import type { Actor } from "@hubfed/auth/permissions";
import {
  type CourseInvitation,
  type CourseRole,
  type DatabaseClient,
  type AuditInput,
  recordAuditEvent,
} from "@hubfed/db";
import { z } from "zod";
import { notify } from "../audit";
import { AppError, fieldErrorsOf } from "../errors";
import { findOrCreateUserByEmail } from "../people";
import { courseRoleLabels, loadCourseFor } from "./access";
import { generateInvitationToken, hashInvitationToken } from "./invitation-tokens";
import { courseSummarySelect } from "../courses/course-summary";

type RequestMetadata = AuditInput["requestMetadata"];

export const createInvitationInput = z.object({
  courseSlug: z.string().min(1).max(80),
  email: z.string().trim().toLowerCase().pipe(z.email("Enter an email address")),
  role: z.enum(["TA", "INSTRUCTOR"]).default("TA"),
  validForDays: z.number().int().min(1, "At least a day").max(60, "At most 60 days").default(14),
});

export type InvitationState = "pending" | "accepted" | "revoked" | "expired";

export function invitationState(
  invitation: Pick<CourseInvitation, "acceptedAt" | "revokedAt" | "expiresAt">,
  now: Date = new Date(),
): InvitationState {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  if (invitation.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}

function summarise(invitation: CourseInvitation & { invitedBy?: { name: string | null } | null }) {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    expiresAt: invitation.expiresAt,
    createdAt: invitation.createdAt,
    acceptedAt: invitation.acceptedAt,
    revokedAt: invitation.revokedAt,
    invitedBy: invitation.invitedBy?.name ?? null,
    state: invitationState(invitation),
  };
}
export type InvitationSummary = ReturnType<typeof summarise>;

/**
 * Invites someone to a course's staff. The token exists only in the returned
 * link (shown once to the inviter); the database keeps its SHA-256. The
 * invitee is told through the notification mechanism (in-app and email),
 * whose link is the token-free /invitations page: notifications are stored,
 * and a stored link would be a stored token. Inviting the same email again
 * replaces the pending invitation.
 */
export async function createCourseInvitation(
  db: DatabaseClient,
  actor: Actor,
  rawInput: z.input<typeof createInvitationInput>,
  requestMetadata?: RequestMetadata,
): Promise<{ invitation: InvitationSummary; path: string }> {
  const parsed = createInvitationInput.safeParse(rawInput);
  if (!parsed.success)
    throw new AppError("BAD_REQUEST", "Check the invitation", fieldErrorsOf(parsed.error, "input"));
  const input = parsed.data;
  const course = await loadCourseFor(db, actor, input.courseSlug, "enrollment.manage");
  const token = generateInvitationToken();
  // The invitee needs an account for the notification (and its email) to
  // reach them. Created outside the transaction: findOrCreateUserByEmail
  // retries on username clashes, which an open transaction could not survive;
  // an account without enrollments grants nothing.
  const invitee = await findOrCreateUserByEmail(db, { email: input.email });
  const invitation = await db.$transaction(async (tx) => {
    const enrolled = await tx.enrollment.findUnique({
      where: { userId_courseId: { userId: invitee.id, courseId: course.id } },
      select: { role: true },
    });
    if (enrolled && enrolled.role !== "STUDENT")
      throw new AppError("CONFLICT", "Already on the course staff", {
        email: [`Already in the course as ${courseRoleLabels[enrolled.role].toLowerCase()}`],
      });
    const now = new Date();
    await tx.courseInvitation.updateMany({
      where: {
        courseId: course.id,
        email: input.email,
        acceptedAt: null,
        revokedAt: null,
        expiresAt: { gt: now },
      },
      data: { revokedAt: now },
    });
    const created = await tx.courseInvitation.create({
      data: {
        courseId: course.id,
        email: input.email,
        role: input.role,
        tokenHash: hashInvitationToken(token),
        invitedById: actor.userId,
        expiresAt: new Date(now.getTime() + input.validForDays * 86_400_000),
      },
    });
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "invitation.create",
      subjectType: "CourseInvitation",
      subjectId: created.id,
      details: { courseId: course.id, email: input.email, role: input.role },
      requestMetadata,
    });
    await notify(tx, {
      userIds: [invitee.id],
      kind: "invitation.create",
      title: `You are invited to teach ${course.code}`,
      body: `You are invited to join ${course.code}: ${course.title} (${course.term}) at ${course.institutionName} as ${courseRoleLabels[input.role].toLowerCase()}. Sign in to Hubfed with ${input.email} and accept it before ${created.expiresAt.toISOString().slice(0, 10)}.`,
      href: "/invitations",
    });
    return created;
  });
  return { invitation: summarise(invitation), path: `/invitations/${token}` };
}

export async function listCourseInvitations(
  db: DatabaseClient,
  actor: Actor,
  courseSlug: string,
): Promise<InvitationSummary[]> {
  const course = await loadCourseFor(db, actor, courseSlug, "enrollment.manage");
  const invitations = await db.courseInvitation.findMany({
    where: { courseId: course.id },
    include: { invitedBy: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return invitations.map(summarise);
}

export async function revokeCourseInvitation(
  db: DatabaseClient,
  actor: Actor,
  input: { courseSlug: string; invitationId: string },
  requestMetadata?: RequestMetadata,
): Promise<InvitationSummary> {
  const course = await loadCourseFor(db, actor, input.courseSlug, "enrollment.manage");
  return db.$transaction(async (tx) => {
    const { count } = await tx.courseInvitation.updateMany({
      where: { id: input.invitationId, courseId: course.id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const invitation = await tx.courseInvitation.findFirst({
      where: { id: input.invitationId, courseId: course.id },
    });
    if (!invitation) throw new AppError("NOT_FOUND", "Invitation not found");
    if (count === 0 && invitation.acceptedAt)
      throw new AppError(
        "CONFLICT",
        "This invitation was already accepted: remove the person from the roster instead",
      );
    if (count > 0)
      await recordAuditEvent(tx, {
        actorId: actor.userId,
        action: "invitation.revoke",
        subjectType: "CourseInvitation",
        subjectId: invitation.id,
        details: { courseId: course.id, email: invitation.email },
        requestMetadata,
      });
    return summarise(invitation);
  });
}

function maskEmail(email: string): string {
  const [local = "", domain = ""] = email.split("@");
  return `${local.slice(0, 1)}${"•".repeat(Math.max(local.length - 1, 1))}@${domain}`;
}

const stateMessages: Record<Exclude<InvitationState, "pending">, string> = {
  accepted: "This invitation has already been accepted.",
  revoked: "This invitation was withdrawn by the course staff.",
  expired: "This invitation has expired. Ask the course staff to invite you again.",
};

/** What /invitations/<token> shows: the course, the role, and whether this person can accept. */
export async function describeInvitationByToken(db: DatabaseClient, actor: Actor, token: string) {
  const invitation = await db.courseInvitation.findUnique({
    where: { tokenHash: hashInvitationToken(token) },
    include: {
      course: { select: courseSummarySelect },
      invitedBy: { select: { name: true } },
    },
  });
  if (!invitation) return { state: "unknown" as const };
  const user = await db.user.findUnique({ where: { id: actor.userId }, select: { email: true } });
  const state = invitationState(invitation);
  return {
    state,
    message: state === "pending" ? null : stateMessages[state],
    role: invitation.role,
    invitedBy: invitation.invitedBy?.name ?? null,
    expiresAt: invitation.expiresAt,
    isForSignedInPerson: user?.email === invitation.email,
    invitedEmail: maskEmail(invitation.email),
    course: {
      slug: invitation.course.slug,
      code: invitation.course.code,
      title: invitation.course.title,
      term: invitation.course.term,
      institution: invitation.course.institution.name,
    },
  };
}

/** Pending invitations addressed to the signed-in person's email (the /invitations page). */
export async function listMyInvitations(db: DatabaseClient, actor: Actor) {
  const user = await db.user.findUnique({ where: { id: actor.userId }, select: { email: true } });
  if (!user?.email) return [];
  const invitations = await db.courseInvitation.findMany({
    where: { email: user.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    include: {
      course: {
        select: { code: true, title: true, term: true, institution: { select: { name: true } } },
      },
      invitedBy: { select: { name: true } },
    },
    orderBy: { createdAt: "desc" },
  });
  return invitations.map((invitation) => ({
    id: invitation.id,
    role: invitation.role,
    expiresAt: invitation.expiresAt,
    invitedBy: invitation.invitedBy?.name ?? null,
    course: {
      code: invitation.course.code,
      title: invitation.course.title,
      term: invitation.course.term,
      institution: invitation.course.institution.name,
    },
  }));
}

const roleRank: Record<CourseRole, number> = { STUDENT: 0, TA: 1, INSTRUCTOR: 2 };

/**
 * Accepts an invitation, found by its token or (from /invitations) by id.
 * Either way the signed-in person's email must be the invited one: the
 * email is what the inviter vouched for, and sign-in is what proves it, so a
 * forwarded link is useless to anyone else. The acceptance is a conditional
 * update (pending, not expired), so it happens once; a student invited as a
 * TA is promoted, and nobody is ever demoted by an invitation.
 */
export async function acceptCourseInvitation(
  db: DatabaseClient,
  actor: Actor,
  locator: { token: string } | { invitationId: string },
  requestMetadata?: RequestMetadata,
): Promise<{ courseSlug: string; role: CourseRole }> {
  const invitation = await db.courseInvitation.findUnique({
    where:
      "token" in locator
        ? { tokenHash: hashInvitationToken(locator.token) }
        : { id: locator.invitationId },
    include: { course: { select: { id: true, slug: true } } },
  });
  if (!invitation) throw new AppError("NOT_FOUND", "There is no such invitation");
  const user = await db.user.findUnique({ where: { id: actor.userId }, select: { email: true } });
  if (!user?.email || user.email !== invitation.email)
    throw new AppError(
      "FORBIDDEN",
      `This invitation is for ${maskEmail(invitation.email)}: sign in with that address to accept it`,
    );
  const state = invitationState(invitation);
  if (state !== "pending") throw new AppError("CONFLICT", stateMessages[state]);
  return db.$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.courseInvitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now, acceptedById: actor.userId },
    });
    if (count === 0) throw new AppError("CONFLICT", "This invitation is no longer open");
    const existing = await tx.enrollment.findUnique({
      where: { userId_courseId: { userId: actor.userId, courseId: invitation.courseId } },
    });
    let role = invitation.role;
    if (!existing) {
      await tx.enrollment.create({
        data: { userId: actor.userId, courseId: invitation.courseId, role },
      });
    } else if (roleRank[invitation.role] > roleRank[existing.role]) {
      await tx.enrollment.update({ where: { id: existing.id }, data: { role } });
    } else {
      role = existing.role;
    }
    await recordAuditEvent(tx, {
      actorId: actor.userId,
      action: "invitation.accept",
      subjectType: "CourseInvitation",
      subjectId: invitation.id,
      details: {
        courseId: invitation.courseId,
        role,
        previousRole: existing?.role ?? null,
      },
      requestMetadata,
    });
    return { courseSlug: invitation.course.slug, role };
  });
}
