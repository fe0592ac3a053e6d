import { type DatabaseClient, type Prisma, recordAuditEvent } from "@hubfed/db";
import { provisionHubJob, provisionJobId, type JobQueues } from "@hubfed/jobs";

import { hubSpecSchema, type HubSpec } from "@hubfed/hub-spec";

type SpecPatch = Partial<HubSpec>;

function pick(spec: HubSpec, keys: string[]): SpecPatch {
  return Object.fromEntries(keys.map((key) => [key, spec[key as keyof HubSpec]]));
}

/**
 * Applies approved spec changes whose window has opened and reverts
 * time-boxed ones whose window has closed. Each change is applied and
 * reverted at most once (conditional updates on appliedAt/revertedAt), so the
 * job may run twice or on two workers. Each touched hub gets a new spec
 * revision and a provisioning job.
 */
export async function applyDueSpecChanges(
  db: DatabaseClient,
  { queues, now = new Date() }: { queues: JobQueues; now?: Date },
): Promise<{ applied: number; reverted: number }> {
  let applied = 0;
  let reverted = 0;
  const touchedHubs = new Map<string, number>();

  const due = await db.hubSpecChange.findMany({
    where: { appliedAt: null, startsAt: { lte: now } },
    orderBy: { startsAt: "asc" },
  });
  for (const change of due) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.hubSpecChange.updateMany({
        where: { id: change.id, appliedAt: null },
        data: { appliedAt: now },
      });
      if (count === 0) return;
      const hub = await tx.hub.findUniqueOrThrow({ where: { id: change.hubId } });
      const spec = hubSpecSchema.parse(hub.spec);
      const patch = change.patch as SpecPatch;
      const next = hubSpecSchema.parse({ ...spec, ...patch });
      await tx.hubSpecChange.update({
        where: { id: change.id },
        data: { previous: pick(spec, Object.keys(patch)) },
      });
      const updated = await tx.hub.update({
        where: { id: hub.id },
        data: { spec: next, specRevision: { increment: 1 } },
      });
      await recordAuditEvent(tx, {
        actorId: null,
        action: "hub.spec-change.apply",
        subjectType: "Hub",
        subjectId: hub.id,
        details: { changeId: change.id, patch: patch as Prisma.InputJsonValue },
      });
      touchedHubs.set(hub.id, updated.specRevision);
      applied += 1;
    });
  }

  const ended = await db.hubSpecChange.findMany({
    where: { appliedAt: { not: null }, revertedAt: null, endsAt: { lte: now } },
    orderBy: { endsAt: "asc" },
  });
  for (const change of ended) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.hubSpecChange.updateMany({
        where: { id: change.id, revertedAt: null },
        data: { revertedAt: now },
      });
      if (count === 0) return;
      const hub = await tx.hub.findUniqueOrThrow({ where: { id: change.hubId } });
      const restored = hubSpecSchema.parse({
        ...hubSpecSchema.parse(hub.spec),
        ...(change.previous as SpecPatch),
      });
      const updated = await tx.hub.update({
        where: { id: hub.id },
        data: { spec: restored, specRevision: { increment: 1 } },
      });
      await recordAuditEvent(tx, {
        actorId: null,
        action: "hub.spec-change.revert",
        subjectType: "Hub",
        subjectId: hub.id,
        details: { changeId: change.id },
      });
      touchedHubs.set(hub.id, updated.specRevision);
      reverted += 1;
    });
  }

  for (const [hubId, revision] of touchedHubs) {
    await queues.add(
      provisionHubJob,
      { hubId, trigger: "change" },
      { jobId: provisionJobId(hubId, { specRevision: revision }) },
    );
  }
  return { applied, reverted };
}
