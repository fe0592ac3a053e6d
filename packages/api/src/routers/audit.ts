import { z } from "zod";
import { auditCsv, auditFilterChoices, auditQueryInput, listAuditEvents } from "@hubfed/core";
import { pageShape } from "../shapes";
import { requirePermission, router } from "../trpc";

const auditEntry = z.object({
  id: z.string(),
  occurredAt: z.date(),
  actor: z.string(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  subjectHref: z.string().nullable(),
  subjectName: z.string().nullable(),
  institution: z.string().nullable(),
  details: z.unknown(),
  ipAddress: z.string().nullable(),
});

/** The audit log (/ops/audit): ops read every event, institution admins their institution's. */
export const auditRouter = router({
  list: requirePermission("audit.read")
    .input(auditQueryInput)
    .output(pageShape(auditEntry))
    .query(({ ctx, input }) => listAuditEvents(ctx.db, ctx.actor, input)),

  filterChoices: requirePermission("audit.read")
    .output(
      z.object({
        actions: z.array(z.string()),
        subjectTypes: z.array(z.string()),
        institutions: z.array(z.object({ id: z.string(), name: z.string() })),
      }),
    )
    .query(({ ctx }) => auditFilterChoices(ctx.db, ctx.actor)),

  csv: requirePermission("audit.read")
    .input(auditQueryInput)
    .output(z.object({ fileName: z.string(), csv: z.string() }))
    .query(({ ctx, input }) => auditCsv(ctx.db, ctx.actor, input)),
});
