import type { Actor } from "@hubfed/auth/permissions";
import {
  Prisma,
  type CourseRole,
  type DatabaseClient,
  type JoinCode,
  type AuditInput,
  recordAuditEvent,
} from "@hubfed/db";
import { z } from "zod";

import { AppError, fieldErrorsOf } from "../errors";
import { loadCourseFor } from "./access";
import { generateJoinCode, normalizeJoinCode } from "./join-code-format";
import { courseSummarySelect } from "../courses/course-summary";

type RequestMetadata = AuditInput["requestMetadata"];

/** The most addresses one code may be bound to: a section's TAs, not a class list. */
export const maxBoundEmails = 200;

export const createJoinCodeInput = z
  .object({
    courseSlug: z.string().min(1).max(80),
    // Instructors join through invitations tied to their email; a code grants
    // the student role, or the TA role to the addresses it is bound to.
    role: z.enum(["STUDENT", "TA"]).default("STUDENT"),
    expiresAt: z
      .date()
      .refine((date) => date.getTime() > Date.now(), "The expiry must be in the future")
      .optional(),
    maxUses: z.number().int().min(1, "At least one use").max(100_000).optional(),
    /** Only these people may join with the code (their sign-in email); required for TAs. */
    boundEmails: z
      .array(z.string().trim().toLowerCase().max(254).pipe(z.email("Enter email addresses")))
      .max(maxBoundEmails, `At most ${maxBoundEmails} addresses`)
      .default([]),
  })
  // A shared code travels (group chats, slides): one that made its holders TAs
  // would make anyone who saw it staff, with admin on the course's hubs.
  .refine((input) => input.role !== "TA" || input.boundEmails.length > 0, {
    path: ["boundEmails"],
    message: "A TA code must name the TAs' email addresses",
  });
export type CreateJoinCodeInput = z.input<typeof createJoinCodeInput>;

export type JoinCodeState = "active" | "expired" | "revoked" | "used-up";

export function joinCodeState(
  code: Pick<JoinCode, "expiresAt" | "revokedAt" | "maxUses" | "useCount">,
  now: Date = new Date(),
): JoinCodeState {
  if (code.revokedAt) return "revoked";
  if (code.expiresAt && code.expiresAt.getTime() <= now.getTime()) return "expired";
  if (code.maxUses !== null && code.useCount >= code.maxUses) return "used-up";
  return "active";
}

const stateMessages: Record<Exclude<JoinCodeState, "active">, string> = {
  expired: "This join code has expired. Ask your instructor for a new one.",
  revoked: "This join code was withdrawn by the course staff. Ask your instructor for a new one.",
  "used-up": "This join code has been used as many times as it allows. Ask your instructor.",
};

function describeCode(code: JoinCode & { createdBy?: { name: string | null } | null }) {
  return {
    id: code.id,
    code: code.code,
    role: code.role,
    expiresAt: code.expiresAt,
    revokedAt: code.revokedAt,
    maxUses: code.maxUses,
    useCount: code.useCount,
    boundEmails: code.boundEmails,
    createdAt: code.createdAt,
    createdBy: code.createdBy?.name ?? null,
    state: joinCodeState(code),
    path: `/join/${code.code}`,
  };
}
export type JoinCodeSummary = ReturnType<typeof describeCode>;

export async function createJoinCode(
  db: DatabaseClient,
  actor: Actor,
  rawInput: CreateJoinCodeInput,
  requestMetadata?: RequestMetadata,
): Promise<JoinCodeSummary> {
  const parsed = createJoinCodeInput.safeParse(rawInput);
  if (!parsed.success)
    throw new AppError("BAD_REQUEST", "Check the join code", fieldErrorsOf(parsed.error, "input"));
  const input = parsed.data;
  const course = await loadCourseFor(db, actor, input.courseSlug, "enrollment.manage");
  // 49 random bits make a collision all but impossible; retry once anyway
  // rather than surface a unique-constraint error.
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await db.$transaction(async (tx) => {
        const created = await tx.joinCode.create({
          data: {
            courseId: course.id,
            code: generateJoinCode(),
            role: input.role,
            expiresAt: input.expiresAt ?? null,
            maxUses: input.maxUses ?? null,
            boundEmails: [...new Set(input.boundEmails)],
            createdById: actor.userId,
          },
        });
        await recordAuditEvent(tx, {
          actorId: actor.userId,
          action: "join-code.create",
          subjectType: "Course",
          subjectId: course.id,
          details: {
            joinCodeId: created.id,
            role: created.role,
            expiresAt: created.expiresAt?.toISOString() ?? null,
            maxUses: created.maxUses,
            boundEmails: created.boundEmails,
          },
          requestMetadata,
        });
        return describeCode(created);
      });
    } catch (error) {
      if (attempt < 2 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

export async function listJoinCodes(
  db: DatabaseClient,
  actor: Actor,
  courseSlug: string,
): Promise<JoinCodeSummary[]> {
  const course = await loadCourseFor(db, actor, courseSlug, "enrollment.manage");
  const codes = await db.joinCode.findMany({
    where: { courseId: course.id },
    include: { createdBy: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return codes.map(describeCode);
}

export async function revokeJoinCode(
  db: DatabaseClient,
  actor: Actor,
  input: { courseSlug: string; joinCodeId: string },
  requestMetadata?: RequestMetadata,
): Promise<JoinCodeSummary> {
  const course = await loadCourseFor(db, actor, input.courseSlug, "enrollment.manage");
  return db.$transaction(async (tx) => {
    const { count } = await tx.joinCode.updateMany({
      where: { id: input.joinCodeId, courseId: course.id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const code = await tx.joinCode.findFirst({
      where: { id: input.joinCodeId, courseId: course.id },
    });
    if (!code) throw new AppError("NOT_FOUND", "Join code not found");
    if (count > 0)
      await recordAuditEvent(tx, {
        actorId: actor.userId,
        action: "join-code.revoke",
        subjectType: "Course",
        subjectId: course.id,
        details: { joinCodeId: code.id },
        requestMetadata,
      });
    return describeCode(code);
  });
}

/** What the join page shows before anyone joins: the course and whether the code still works. */
export async function describeJoinCodeFor(db: DatabaseClient, actor: Actor, typedCode: string) {
  const code = normalizeJoinCode(typedCode);
  const row = code
    ? await db.joinCode.findUnique({
        where: { code },
        include: {
          course: { select: { id: true, ...courseSummarySelect } },
        },
      })
    : null;
  if (!row) return { state: "unknown" as const };
  const enrollment = await db.enrollment.findUnique({
    where: { userId_courseId: { userId: actor.userId, courseId: row.course.id } },
    select: { role: true },
  });
  const refusal = await joinRefusalFor(db, actor, row);
  const state = joinCodeState(row);
  return {
    state,
    message: state !== "active" ? stateMessages[state] : refusal,
    isForSignedInPerson: refusal === null,
    role: row.role,
    enrolledAs: enrollment?.role ?? null,
    course: {
      slug: row.course.slug,
      code: row.course.code,
      title: row.course.title,
      term: row.course.term,
      institution: row.course.institution.name,
    },
  };
}

/**
 * Why this person may not join with an otherwise working code, or null. A bound code admits only
 * the addresses it names (the signed-in person's email, which their sign-in vouched for). A TA
 * code from before codes could be bound admits nobody: it would make anyone holding it staff.
 */
async function joinRefusalFor(
  db: DatabaseClient,
  actor: Actor,
  code: Pick<JoinCode, "role" | "boundEmails">,
): Promise<string | null> {
  if (code.role === "TA" && code.boundEmails.length === 0)
    return "This code can no longer make anyone a TA. Ask the course staff for an invitation.";
  if (code.boundEmails.length === 0) return null;
  const user = await db.user.findUnique({ where: { id: actor.userId }, select: { email: true } });
  const email = user?.email?.toLowerCase();
  return email && code.boundEmails.includes(email)
    ? null
    : "This join code is for named people only, and your sign-in email is not one of them. Sign in with the address the course staff know, or ask them.";
}

export interface JoinResult {
  outcome: "enrolled" | "already-enrolled";
  courseSlug: string;
  role: CourseRole;
}

/**
 * Enrolls the signed-in person with a join code. Idempotent: someone already
 * in the course is told so and uses nothing up. A use is counted by one
 * conditional UPDATE that also re-checks revocation, expiry and the cap, so
 * concurrent joins can never exceed maxUses; the enrollment is created in the
 * same transaction, so a failed enrollment gives its use back.
 */
export async function joinWithCode(
  db: DatabaseClient,
  actor: Actor,
  typedCode: string,
  requestMetadata?: RequestMetadata,
): Promise<JoinResult> {
  const code = normalizeJoinCode(typedCode);
  const row = code
    ? await db.joinCode.findUnique({
        where: { code },
        select: {
          id: true,
          courseId: true,
          role: true,
          boundEmails: true,
          course: { select: { slug: true } },
        },
      })
    : null;
  if (!row)
    throw new AppError("NOT_FOUND", "There is no course with this join code. Check for typos.", {
      code: ["Unknown join code"],
    });
  const refusal = await joinRefusalFor(db, actor, row);
  if (refusal) throw new AppError("FORBIDDEN", refusal, { code: [refusal] });
  const existing = await db.enrollment.findUnique({
    where: { userId_courseId: { userId: actor.userId, courseId: row.courseId } },
    select: { role: true },
  });
  if (existing)
    return { outcome: "already-enrolled", courseSlug: row.course.slug, role: existing.role };
  try {
    return await db.$transaction(async (tx) => {
      const counted = await tx.$executeRaw`
        UPDATE "JoinCode" SET "useCount" = "useCount" + 1
        WHERE id = ${row.id}
          AND "revokedAt" IS NULL
          AND ("expiresAt" IS NULL OR "expiresAt" > now())
          AND ("maxUses" IS NULL OR "useCount" < "maxUses")`;
      if (counted === 0) {
        const current = await tx.joinCode.findUniqueOrThrow({ where: { id: row.id } });
        const state = joinCodeState(current);
        throw new AppError("CONFLICT", stateMessages[state === "active" ? "used-up" : state], {
          code: [stateMessages[state === "active" ? "used-up" : state]],
        });
      }
      const enrollment = await tx.enrollment.create({
        data: { userId: actor.userId, courseId: row.courseId, role: row.role },
      });
      await recordAuditEvent(tx, {
        actorId: actor.userId,
        action: "enrollment.join",
        subjectType: "Enrollment",
        subjectId: enrollment.id,
        details: { courseId: row.courseId, joinCodeId: row.id, role: row.role },
        requestMetadata,
      });
      return { outcome: "enrolled" as const, courseSlug: row.course.slug, role: row.role };
    });
  } catch (error) {
    // The same person joining twice at once: the other request enrolled them.
    if (isUniqueViolation(error)) {
      const enrolled = await db.enrollment.findUnique({
        where: { userId_courseId: { userId: actor.userId, courseId: row.courseId } },
        select: { role: true },
      });
      if (enrolled)
        return { outcome: "already-enrolled", courseSlug: row.course.slug, role: enrolled.role };
    }
    throw error;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
