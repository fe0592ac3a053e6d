import { can, type Actor } from "@hubfed/auth/permissions";
import {
  type AuditSubjectType,
  auditSubjectTypes,
  type DatabaseClient,
  type Prisma,
} from "@hubfed/db";
import { z } from "zod";
import { type CsvCell, renderCsv } from "../csv";
import { AppError } from "../errors";
import { offsetOf, pageInput, pageOf, type Page } from "../paging";

/** A real calendar day written as YYYY-MM-DD (so 2026-02-31 is refused, not rolled over). */
function isIsoDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

const isoDay = z.string().trim().refine(isIsoDay, "Use a date like 2026-09-01");

export const auditQueryInput = pageInput
  .extend({
    /** Part of the actor's email or name; "system" for events without a person. */
    actor: z.string().trim().max(200).optional(),
    action: z.string().trim().max(100).optional(),
    subjectType: z.enum(auditSubjectTypes).optional(),
    subjectId: z.string().trim().max(100).optional(),
    institutionId: z.string().trim().max(80).optional(),
    /** Inclusive UTC days. */
    from: isoDay.optional(),
    to: isoDay.optional(),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    message: "The end date is before the start date",
    path: ["to"],
  });
export type AuditQuery = z.input<typeof auditQueryInput>;

export interface AuditEntry {
  id: string;
  occurredAt: Date;
  /** "System" for scheduled jobs and the worker. */
  actor: string;
  actorEmail: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  /** A page about the subject the reader may open; null when there is none. */
  subjectHref: string | null;
  /** The subject's name where it has one (a hub's or course's slug, an assignment's). */
  subjectName: string | null;
  institution: string | null;
  details: Prisma.JsonValue;
  /** Ops only: where the request came from. */
  ipAddress: string | null;
}

function whereFor(
  actor: Actor,
  query: z.output<typeof auditQueryInput>,
): Prisma.AuditEventWhereInput {
  if (!can(actor, "audit.read")) throw new AppError("FORBIDDEN", "You cannot read the audit log");
  // Another institution named in the filter is refused, not quietly narrowed to nothing.
  if (query.institutionId && !can(actor, "audit.read", { institutionId: query.institutionId }))
    throw new AppError("FORBIDDEN", "You can read only your own institution's events");
  const and: Prisma.AuditEventWhereInput[] = [];
  // Institution admins read their institutions' events only; federation-wide
  // events (pools, regions, keys) have no institution and stay with ops.
  if (!actor.isOperator) and.push({ institutionId: { in: [...actor.adminOfInstitutionIds] } });
  if (query.institutionId) and.push({ institutionId: query.institutionId });
  if (query.action) and.push({ action: query.action });
  if (query.subjectType) and.push({ subjectType: query.subjectType });
  if (query.subjectId) and.push({ subjectId: query.subjectId });
  if (query.from) and.push({ occurredAt: { gte: new Date(`${query.from}T00:00:00Z`) } });
  if (query.to)
    and.push({ occurredAt: { lt: new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000) } });
  if (query.actor)
    and.push(
      query.actor.toLowerCase() === "system"
        ? { actorId: null }
        : {
            actor: {
              OR: [
                { email: { contains: query.actor, mode: "insensitive" } },
                { name: { contains: query.actor, mode: "insensitive" } },
              ],
            },
          },
    );
  return { AND: and };
}

type EventRow = {
  id: string;
  subjectType: string;
  subjectId: string;
  details: Prisma.JsonValue;
};

function courseIdInDetails(details: Prisma.JsonValue): string | null {
  if (!details || typeof details !== "object" || Array.isArray(details)) return null;
  const courseId = (details as Record<string, unknown>).courseId;
  return typeof courseId === "string" ? courseId : null;
}

/**
 * A page about each event's subject, chosen from our own records (slugs looked
 * up by id) and only where the reader may open it: ops pages for ops, the
 * course's pages for everyone who reads the log (institution admins read
 * every course of their institution).
 */
async function subjectLinks(
  db: DatabaseClient,
  actor: Actor,
  events: EventRow[],
): Promise<{ hrefs: Map<string, string>; names: Map<string, string> }> {
  const idsOf = (type: AuditSubjectType) =>
    events.filter((event) => event.subjectType === type).map((event) => event.subjectId);
  const [hubs, courses, assignments, links, windows, dates, invitations] = await Promise.all([
    db.hub.findMany({ where: { id: { in: idsOf("Hub") } }, select: { id: true, slug: true } }),
    db.course.findMany({
      where: {
        id: {
          in: [
            ...idsOf("Course"),
            ...events.flatMap((event) => courseIdInDetails(event.details) ?? []),
          ],
        },
      },
      select: { id: true, slug: true },
    }),
    db.assignment.findMany({
      where: { id: { in: idsOf("Assignment") } },
      select: { id: true, slug: true, course: { select: { slug: true } } },
    }),
    db.contentLink.findMany({
      where: { id: { in: idsOf("ContentLink") } },
      select: { id: true, course: { select: { slug: true } } },
    }),
    db.capacityWindow.findMany({
      where: { id: { in: idsOf("CapacityWindow") } },
      select: { id: true, course: { select: { slug: true } } },
    }),
    db.importantDate.findMany({
      where: { id: { in: idsOf("ImportantDate") } },
      select: { id: true, course: { select: { slug: true } } },
    }),
    db.courseInvitation.findMany({
      where: { id: { in: idsOf("CourseInvitation") } },
      select: { id: true, course: { select: { slug: true } } },
    }),
  ]);
  const courseSlugs = new Map(courses.map((course) => [course.id, course.slug]));
  const hrefs = new Map<string, string>();
  const names = new Map<string, string>();
  for (const hub of hubs) names.set(`Hub:${hub.id}`, hub.slug);
  for (const course of courses) names.set(`Course:${course.id}`, course.slug);
  for (const assignment of assignments)
    names.set(`Assignment:${assignment.id}`, `${assignment.course.slug}/${assignment.slug}`);
  const courseHref = (slug: string, tab = "") => `/courses/${encodeURIComponent(slug)}${tab}`;
  for (const hub of hubs) hrefs.set(`Hub:${hub.id}`, `/ops/hubs/${encodeURIComponent(hub.slug)}`);
  for (const assignment of assignments)
    hrefs.set(
      `Assignment:${assignment.id}`,
      courseHref(assignment.course.slug, `/assignments/${encodeURIComponent(assignment.slug)}`),
    );
  for (const link of links)
    hrefs.set(`ContentLink:${link.id}`, courseHref(link.course.slug, "/links"));
  for (const window of windows)
    hrefs.set(`CapacityWindow:${window.id}`, courseHref(window.course.slug, "/schedule"));
  for (const date of dates)
    hrefs.set(`ImportantDate:${date.id}`, courseHref(date.course.slug, "/schedule"));
  for (const invitation of invitations)
    hrefs.set(`CourseInvitation:${invitation.id}`, courseHref(invitation.course.slug, "/roster"));
  for (const event of events) {
    const key = `${event.subjectType}:${event.subjectId}`;
    if (hrefs.has(key)) continue;
    const courseSlug =
      courseSlugs.get(event.subjectId) ?? courseSlugs.get(courseIdInDetails(event.details) ?? "");
    switch (event.subjectType as AuditSubjectType) {
      case "Course":
        if (courseSlug) hrefs.set(key, courseHref(courseSlug));
        break;
      case "Enrollment":
        if (courseSlug) hrefs.set(key, courseHref(courseSlug, "/roster"));
        break;
      case "HubRequest":
        hrefs.set(
          key,
          actor.isOperator
            ? `/ops/requests/${encodeURIComponent(event.subjectId)}`
            : `/requests/${encodeURIComponent(event.subjectId)}`,
        );
        break;
      case "Allocation":
        hrefs.set(key, "/ops/credits");
        break;
      case "CreditPool":
        if (actor.isOperator) hrefs.set(key, "/ops/credits");
        break;
      case "OidcSigningKey":
      case "Institution":
        if (actor.isOperator) hrefs.set(key, "/ops/identity");
        break;
      case "Region":
        if (actor.isOperator) hrefs.set(key, "/ops");
        break;
      case "Job":
        // queue/id: the queue's failed jobs, where a retried job shows again if it fails again.
        if (actor.isOperator)
          hrefs.set(
            key,
            `/ops/jobs?queue=${encodeURIComponent(event.subjectId.split("/")[0] ?? "")}`,
          );
        break;
      default:
        break;
    }
  }
  return { hrefs, names };
}

async function readEvents(
  db: DatabaseClient,
  actor: Actor,
  query: z.output<typeof auditQueryInput>,
  page: { skip: number; take: number } | null,
): Promise<AuditEntry[]> {
  const events = await db.auditEvent.findMany({
    where: whereFor(actor, query),
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    ...(page ?? {}),
    include: {
      actor: { select: { name: true, email: true } },
      institution: { select: { name: true } },
    },
  });
  const { hrefs, names } = await subjectLinks(db, actor, events);
  return events.map((event) => ({
    id: event.id,
    occurredAt: event.occurredAt,
    actor: event.actor ? (event.actor.name ?? event.actor.email ?? "A deleted person") : "System",
    actorEmail: event.actor?.email ?? null,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    subjectHref: hrefs.get(`${event.subjectType}:${event.subjectId}`) ?? null,
    subjectName: names.get(`${event.subjectType}:${event.subjectId}`) ?? null,
    institution: event.institution?.name ?? null,
    details: event.details,
    ipAddress: actor.isOperator ? event.ipAddress : null,
  }));
}

/** /ops/audit: who did what to what, newest first, filtered and paged in the database. */
export async function listAuditEvents(
  db: DatabaseClient,
  actor: Actor,
  input: AuditQuery,
): Promise<Page<AuditEntry>> {
  const query = auditQueryInput.parse(input);
  const [total, items] = await Promise.all([
    db.auditEvent.count({ where: whereFor(actor, query) }),
    readEvents(db, actor, query, { skip: offsetOf(query), take: query.pageSize }),
  ]);
  return pageOf(items, total, query);
}

/** What the audit log's filters choose from, within the reader's scope. */
export async function auditFilterChoices(db: DatabaseClient, actor: Actor) {
  const scope = whereFor(actor, auditQueryInput.parse({}));
  const [actions, institutions] = await Promise.all([
    db.auditEvent.findMany({
      where: scope,
      distinct: ["action"],
      select: { action: true },
      orderBy: { action: "asc" },
    }),
    db.institution.findMany({
      where: actor.isOperator ? {} : { id: { in: [...actor.adminOfInstitutionIds] } },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
    }),
  ]);
  return {
    actions: actions.map((row) => row.action),
    subjectTypes: [...auditSubjectTypes],
    institutions,
  };
}

/** The matching events as CSV (at most `maxAuditCsvRows`, newest first). */
export const maxAuditCsvRows = 50_000;

export async function auditCsv(
  db: DatabaseClient,
  actor: Actor,
  input: AuditQuery,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ fileName: string; csv: string }> {
  const query = auditQueryInput.parse(input);
  const events = await readEvents(db, actor, query, { skip: 0, take: maxAuditCsvRows });
  const rows: CsvCell[][] = [
    [
      "occurred_at",
      "actor",
      "actor_email",
      "action",
      "subject_type",
      "subject_id",
      "subject_name",
      "institution",
      "details",
      ...(actor.isOperator ? ["ip_address"] : []),
    ],
    ...events.map((event) => [
      event.occurredAt.toISOString(),
      event.actor,
      event.actorEmail ?? "",
      event.action,
      event.subjectType,
      event.subjectId,
      event.subjectName ?? "",
      event.institution ?? "",
      event.details === null ? "" : JSON.stringify(event.details),
      ...(actor.isOperator ? [event.ipAddress ?? ""] : []),
    ]),
  ];
  return {
    fileName: `hubfed-audit-${now.toISOString().slice(0, 10)}.csv`,
    csv: renderCsv(rows),
  };
}
