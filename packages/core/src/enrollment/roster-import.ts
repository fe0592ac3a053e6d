import type { Actor } from "@hubfed/auth/permissions";
import {
  type CourseRole,
  type DatabaseClient,
  type AuditInput,
  recordAuditEvent,
  type Transaction,
} from "@hubfed/db";
import { z } from "zod";
import { notify } from "../audit";

import { AppError } from "../errors";
import { createPeople } from "../people";
import { loadCourseFor, type CourseInScope } from "./access";
import { courseRoleLabels } from "./access";
import { maxRosterCsvCharacters, parseRosterCsv, rosterDigest } from "./roster-csv";

type RequestMetadata = AuditInput["requestMetadata"];

export const rosterPreviewInput = z.object({
  courseSlug: z.string().min(1).max(80),
  csv: z
    .string()
    .min(1, "Paste or upload a CSV file")
    .max(maxRosterCsvCharacters, "The file is larger than 1 MB"),
});
export const rosterCommitInput = rosterPreviewInput.extend({
  digest: z.string().regex(/^[0-9a-f]{64}$/, "Preview the roster first"),
});

export type RosterRowOutcome = "create-and-enroll" | "enroll" | "already-enrolled" | "error";

export interface RosterPreviewRow {
  line: number;
  email: string;
  name: string | null;
  outcome: RosterRowOutcome;
  errors: string[];
}

export interface RosterPreview {
  digest: string;
  rows: RosterPreviewRow[];
  ignoredColumns: string[];
  counts: Record<RosterRowOutcome, number>;
}

/** Classifies every row against the database as it is now (one query for users, one for enrollments). */
async function classifyRows(
  db: DatabaseClient | Transaction,
  course: CourseInScope,
  csv: string,
): Promise<RosterPreview> {
  const parsed = parseRosterCsv(csv);
  if (parsed.fileErrors.length > 0)
    throw new AppError("BAD_REQUEST", parsed.fileErrors.join("; "), { csv: parsed.fileErrors });
  const emails = parsed.rows.filter((row) => row.errors.length === 0).map((row) => row.email);
  const users = await db.user.findMany({
    where: { email: { in: emails } },
    select: {
      id: true,
      email: true,
      enrollments: { where: { courseId: course.id }, select: { role: true } },
    },
  });
  const existing = new Map(users.map((user) => [user.email ?? "", user]));
  const rows = parsed.rows.map((row): RosterPreviewRow => {
    if (row.errors.length > 0)
      return {
        line: row.line,
        email: row.email,
        name: row.name,
        outcome: "error",
        errors: row.errors,
      };
    const user = existing.get(row.email);
    const enrolledAs: CourseRole | undefined = user?.enrollments[0]?.role;
    if (enrolledAs && enrolledAs !== "STUDENT")
      return {
        line: row.line,
        email: row.email,
        name: row.name,
        outcome: "error",
        errors: [
          `Already in the course as ${courseRoleLabels[enrolledAs].toLowerCase()}; left unchanged`,
        ],
      };
    return {
      line: row.line,
      email: row.email,
      name: row.name,
      outcome: enrolledAs ? "already-enrolled" : user ? "enroll" : "create-and-enroll",
      errors: [],
    };
  });
  const counts = { "create-and-enroll": 0, enroll: 0, "already-enrolled": 0, error: 0 };
  for (const row of rows) counts[row.outcome] += 1;
  return { digest: rosterDigest(csv), rows, ignoredColumns: parsed.ignoredColumns, counts };
}

/** What an import would do, row by row, without changing anything. */
export async function previewRosterImport(
  db: DatabaseClient,
  actor: Actor,
  rawInput: z.input<typeof rosterPreviewInput>,
): Promise<RosterPreview> {
  const input = rosterPreviewInput.parse(rawInput);
  const course = await loadCourseFor(db, actor, input.courseSlug, "enrollment.manage");
  return classifyRows(db, course, input.csv);
}

export interface RosterImportResult {
  enrolled: number;
  createdAccounts: number;
  alreadyEnrolled: number;
  /** Rows not imported, with why: the instructor fixes them and imports again. */
  rejected: RosterPreviewRow[];
}

/**
 * Imports exactly the previewed CSV (checked by digest): creates accounts for
 * new emails and enrolls every valid row in one transaction, so a failure
 * leaves the course as it was. Rows with errors are returned, not dropped.
 * Re-importing the same file enrolls nobody twice.
 */
export async function commitRosterImport(
  db: DatabaseClient,
  actor: Actor,
  rawInput: z.input<typeof rosterCommitInput>,
  requestMetadata?: RequestMetadata,
): Promise<RosterImportResult> {
  const input = rosterCommitInput.parse(rawInput);
  // Who may import comes first: another course's staff learn nothing from this one's answers.
  const course = await loadCourseFor(db, actor, input.courseSlug, "enrollment.manage");
  if (rosterDigest(input.csv) !== input.digest)
    throw new AppError("CONFLICT", "The CSV changed since the preview: preview it again", {
      csv: ["Preview this CSV before importing it"],
    });
  return db.$transaction(
    async (tx) => {
      const preview = await classifyRows(tx, course, input.csv);
      const toCreate = preview.rows.filter((row) => row.outcome === "create-and-enroll");
      // The one allocator: names unique among themselves and against everyone, decided by the
      // unique constraint (people/create-user.ts).
      const { created } = await createPeople(
        tx,
        toCreate.map((row) => ({ email: row.email, name: row.name })),
      );
      const now = new Date();
      const enrolEmails = preview.rows
        .filter((row) => row.outcome === "create-and-enroll" || row.outcome === "enroll")
        .map((row) => row.email);
      const users = await tx.user.findMany({
        where: { email: { in: enrolEmails } },
        select: { id: true, email: true },
      });
      if (users.length !== enrolEmails.length)
        throw new AppError(
          "CONFLICT",
          "Some of these accounts were removed while importing: preview and import again",
        );
      await tx.enrollment.createMany({
        data: users.map((user) => ({
          userId: user.id,
          courseId: course.id,
          role: "STUDENT" as const,
        })),
        skipDuplicates: true,
      });
      const enrollments = await tx.enrollment.findMany({
        where: { courseId: course.id, userId: { in: users.map((user) => user.id) } },
        select: { id: true, userId: true },
      });
      await tx.auditEvent.createMany({
        data: enrollments.map((enrollment) => ({
          actorId: actor.userId,
          action: "enrollment.import",
          subjectType: "Enrollment",
          subjectId: enrollment.id,
          occurredAt: now,
          details: { courseId: course.id, userId: enrollment.userId, role: "STUDENT" },
          institutionId: course.institutionId,
          ipAddress: requestMetadata?.ipAddress,
          userAgent: requestMetadata?.userAgent?.slice(0, 500),
        })),
      });
      await recordAuditEvent(tx, {
        actorId: actor.userId,
        action: "roster.import",
        subjectType: "Course",
        subjectId: course.id,
        details: {
          digest: input.digest,
          enrolled: enrollments.length,
          createdAccounts: created.size,
          alreadyEnrolled: preview.counts["already-enrolled"],
          rejectedLines: preview.rows
            .filter((row) => row.outcome === "error")
            .map((row) => row.line),
        },
        requestMetadata,
      });
      await notify(tx, {
        userIds: users.map((user) => user.id),
        kind: "enrollment.import",
        title: `You are enrolled in ${course.code}`,
        body: `You were added to ${course.code}: ${course.title} (${course.term}). Its hub is on your My hubs page.`,
        href: "/",
      });
      return {
        enrolled: enrollments.length,
        createdAccounts: created.size,
        alreadyEnrolled: preview.counts["already-enrolled"],
        rejected: preview.rows.filter((row) => row.outcome === "error"),
      };
    },
    { timeout: 60_000 },
  );
}
