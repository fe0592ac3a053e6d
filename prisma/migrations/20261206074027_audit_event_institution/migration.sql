-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "institutionId" TEXT;

-- CreateIndex
CREATE INDEX "AuditEvent_institutionId_occurredAt_idx" ON "AuditEvent"("institutionId", "occurredAt");

-- CreateIndex
CREATE INDEX "AuditEvent_action_occurredAt_idx" ON "AuditEvent"("action", "occurredAt");

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Backfill: the institution of each existing event's subject, by the same
-- rules the recorder applies from now on (packages/db/src/audit.ts).
UPDATE "AuditEvent" e SET "institutionId" = e."subjectId"
  WHERE e."subjectType" = 'Institution' AND EXISTS (SELECT 1 FROM "Institution" i WHERE i.id = e."subjectId");
UPDATE "AuditEvent" e SET "institutionId" = c."institutionId"
  FROM "Course" c WHERE e."subjectType" = 'Course' AND c.id = e."subjectId";
UPDATE "AuditEvent" e SET "institutionId" = c."institutionId"
  FROM "Hub" h JOIN "Course" c ON c.id = h."courseId" WHERE e."subjectType" = 'Hub' AND h.id = e."subjectId";
UPDATE "AuditEvent" e SET "institutionId" = r."institutionId"
  FROM "HubRequest" r WHERE e."subjectType" = 'HubRequest' AND r.id = e."subjectId";
UPDATE "AuditEvent" e SET "institutionId" = a."institutionId"
  FROM "Allocation" a WHERE e."subjectType" = 'Allocation' AND a.id = e."subjectId";
UPDATE "AuditEvent" e SET "institutionId" = c."institutionId"
  FROM "ContentLink" x JOIN "Course" c ON c.id = x."courseId" WHERE e."subjectType" = 'ContentLink' AND x.id = e."subjectId";
UPDATE "AuditEvent" e SET "institutionId" = c."institutionId"
  FROM "Assignment" x JOIN "Course" c ON c.id = x."courseId" WHERE e."subjectType" = 'Assignment' AND x.id = e."subjectId";
UPDATE "AuditEvent" e SET "institutionId" = c."institutionId"
  FROM "ImportantDate" x JOIN "Course" c ON c.id = x."courseId" WHERE e."subjectType" = 'ImportantDate' AND x.id = e."subjectId";
UPDATE "AuditEvent" e SET "institutionId" = c."institutionId"
  FROM "CapacityWindow" x JOIN "Course" c ON c.id = x."courseId" WHERE e."subjectType" = 'CapacityWindow' AND x.id = e."subjectId";
UPDATE "AuditEvent" e SET "institutionId" = c."institutionId"
  FROM "CourseInvitation" x JOIN "Course" c ON c.id = x."courseId" WHERE e."subjectType" = 'CourseInvitation' AND x.id = e."subjectId";
-- Enrollments are often deleted by the event itself; their events name the course.
UPDATE "AuditEvent" e SET "institutionId" = c."institutionId"
  FROM "Course" c WHERE e."institutionId" IS NULL AND e.details->>'courseId' IS NOT NULL AND c.id = e.details->>'courseId';
