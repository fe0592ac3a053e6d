import type { Prisma } from "./generated/prisma/client";
import type { Transaction } from "./transaction";

/**
 * What an audit event can be about. A new kind of subject is added here, with
 * the rule that finds its institution below, so the audit log never silently
 * hides an institution's events from its admins.
 */
export const auditSubjectTypes = [
  "Allocation",
  "Assignment",
  "CapacityWindow",
  "ContentLink",
  "Course",
  "CourseInvitation",
  "CreditPool",
  "Enrollment",
  "Hub",
  "HubRequest",
  "ImportantDate",
  "Institution",
  "Job",
  "OidcSigningKey",
  "Region",
  "User",
] as const;
export type AuditSubjectType = (typeof auditSubjectTypes)[number];

export interface AuditInput {
  /** Null for the system (scheduled jobs, the worker). */
  actorId: string | null;
  action: string;
  subjectType: AuditSubjectType;
  subjectId: string;
  details?: Prisma.InputJsonValue;
  requestMetadata?: { ipAddress?: string; userAgent?: string };
}

type InstitutionLookup = (tx: Transaction, subjectId: string) => Promise<string | null>;

async function firstInstitution(rows: Promise<Array<{ institutionId: string | null }>>) {
  return (await rows)[0]?.institutionId ?? null;
}

const viaCourseTable =
  (
    table:
      | "ContentLink"
      | "Assignment"
      | "ImportantDate"
      | "CapacityWindow"
      | "CourseInvitation"
      | "Enrollment",
  ): InstitutionLookup =>
  (tx, id) =>
    firstInstitution(
      tx.$queryRawUnsafe(
        `SELECT c."institutionId" FROM "${table}" x JOIN "Course" c ON c.id = x."courseId" WHERE x.id = $1`,
        id,
      ),
    );

/**
 * How each subject finds its institution; null for federation-wide subjects
 * (pools, regions, signing keys, people), which only ops read.
 */
const institutionOfSubject: Record<AuditSubjectType, InstitutionLookup | null> = {
  Institution: async (tx, id) =>
    (await tx.institution.findUnique({ where: { id }, select: { id: true } }))?.id ?? null,
  Course: async (tx, id) =>
    (await tx.course.findUnique({ where: { id }, select: { institutionId: true } }))
      ?.institutionId ?? null,
  Hub: async (tx, id) =>
    (
      await tx.hub.findUnique({
        where: { id },
        select: { course: { select: { institutionId: true } } },
      })
    )?.course.institutionId ?? null,
  HubRequest: async (tx, id) =>
    (await tx.hubRequest.findUnique({ where: { id }, select: { institutionId: true } }))
      ?.institutionId ?? null,
  Allocation: async (tx, id) =>
    (await tx.allocation.findUnique({ where: { id }, select: { institutionId: true } }))
      ?.institutionId ?? null,
  Assignment: viaCourseTable("Assignment"),
  CapacityWindow: viaCourseTable("CapacityWindow"),
  ContentLink: viaCourseTable("ContentLink"),
  CourseInvitation: viaCourseTable("CourseInvitation"),
  Enrollment: viaCourseTable("Enrollment"),
  ImportantDate: viaCourseTable("ImportantDate"),
  CreditPool: null,
  // A background job (queue/id): the federation's machinery, which only ops read.
  Job: null,
  OidcSigningKey: null,
  Region: null,
  User: null,
};

/**
 * The institution an event belongs to: its subject's, or, when the event
 * removed its subject (an unenrolment), the course its details name.
 */
export async function auditInstitutionOf(
  tx: Transaction,
  input: Pick<AuditInput, "subjectType" | "subjectId" | "details">,
): Promise<string | null> {
  const lookup = institutionOfSubject[input.subjectType];
  if (!lookup) return null;
  const found = await lookup(tx, input.subjectId);
  if (found) return found;
  const details = input.details as Record<string, unknown> | undefined;
  const courseId = typeof details?.courseId === "string" ? details.courseId : null;
  if (!courseId) return null;
  return (
    (await tx.course.findUnique({ where: { id: courseId }, select: { institutionId: true } }))
      ?.institutionId ?? null
  );
}

/**
 * Records who did what to what, in the caller's transaction, so the event
 * exists exactly when the change does. It lives beside the client because
 * every layer that changes something (core's domains, identity) records it.
 */
export async function recordAuditEvent(tx: Transaction, input: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: input.actorId,
      action: input.action,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      details: input.details,
      institutionId: await auditInstitutionOf(tx, input),
      ipAddress: input.requestMetadata?.ipAddress,
      userAgent: input.requestMetadata?.userAgent?.slice(0, 500),
    },
  });
}
