import { can, type Actor } from "@hubfed/auth/permissions";
import type { DatabaseClient } from "@hubfed/db";

import { AppError } from "../errors";
import { hubSpecSchema } from "@hubfed/hub-spec";
import { availableHubActions } from "./actions";
import { suspendedConditionType } from "./suspension";
import { describeHubStatusForStaff } from "./status-description";

/** A hub as ops and its course staff see it: status, conditions, and the provisioning runs with their steps. */
export async function getHubDetail(db: DatabaseClient, actor: Actor, slug: string) {
  const hub = await db.hub.findUnique({
    where: { slug },
    include: {
      course: {
        select: {
          id: true,
          slug: true,
          code: true,
          title: true,
          institutionId: true,
          endDate: true,
          institution: { select: { name: true } },
        },
      },
      cluster: { select: { displayName: true, runtime: true, region: { select: { name: true } } } },
      conditions: { orderBy: { type: "asc" } },
      runs: {
        orderBy: { queuedAt: "desc" },
        take: 10,
        include: { steps: { orderBy: { position: "asc" } } },
      },
      requests: { where: { kind: "NEW_HUB" }, select: { id: true }, take: 1 },
    },
  });
  if (
    !hub ||
    !can(actor, "hub.read", { courseId: hub.courseId, institutionId: hub.course.institutionId })
  )
    throw new AppError("NOT_FOUND", "Hub not found");
  // Ops get the technical side (reasons, conditions, runs and their errors); the course's staff
  // and the institution's admins get what the status means for the class. Nothing technical is
  // sent to a browser that does not show it.
  const isOperatorView = can(actor, "hub.operate");
  // Why a suspended hub is suspended is written for people (the budget's words, or the reason
  // whoever suspended it gave), so everyone who sees the hub reads it.
  const suspended = hub.conditions.find(
    (condition) => condition.type === suspendedConditionType && condition.status === "TRUE",
  );
  return {
    slug: hub.slug,
    status: hub.status,
    isOperatorView,
    staffStatus: describeHubStatusForStaff(hub.status),
    statusReason: isOperatorView ? hub.statusReason : null,
    suspension:
      hub.status === "SUSPENDED" && suspended
        ? {
            cause: suspended.reason,
            reason: suspended.message,
            since: suspended.lastTransitionAt,
          }
        : null,
    url: hub.url,
    specRevision: hub.specRevision,
    appliedRevision: hub.appliedRevision,
    lastHealthyAt: hub.lastHealthyAt,
    course: `${hub.course.code}: ${hub.course.title}`,
    institution: hub.course.institution.name,
    cluster: `${hub.cluster.region.name} · ${hub.cluster.displayName}`,
    runtime: hub.cluster.runtime,
    requestId: hub.requests[0]?.id ?? null,
    /** The hub's own history in the audit log, for those who may read it. */
    historyHref: can(actor, "audit.read", { institutionId: hub.course.institutionId })
      ? `/ops/audit?subjectType=Hub&subjectId=${encodeURIComponent(hub.id)}`
      : null,
    /** The actions this person may take on the hub now: its page's buttons. */
    actions: availableHubActions(actor, hub),
    canRequestChange: can(actor, "hub.change.request", {
      courseId: hub.courseId,
      institutionId: hub.course.institutionId,
    }),
    current: (() => {
      const spec = hubSpecSchema.parse(hub.spec);
      return {
        memoryGuaranteeMib: spec.memoryGuaranteeMib,
        memoryLimitMib: spec.memoryLimitMib,
        cpuGuaranteeMilli: spec.cpuGuaranteeMilli,
        cpuLimitMilli: spec.cpuLimitMilli,
        storageGib: spec.storageGib,
        image: spec.image,
        isAutograderEnabled: spec.autograder.isEnabled,
        courseEndDate: hub.course.endDate.toISOString().slice(0, 10),
      };
    })(),
    conditions: (isOperatorView ? hub.conditions : []).map((condition) => ({
      type: condition.type,
      status: condition.status,
      reason: condition.reason,
      message: condition.message,
      lastTransitionAt: condition.lastTransitionAt,
    })),
    runs: (isOperatorView ? hub.runs : []).map((run) => ({
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      specRevision: run.specRevision,
      error: run.error,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      steps: run.steps.map((step) => ({
        name: step.name,
        status: step.status,
        detail: step.detail,
        error: step.error,
        startedAt: step.startedAt,
        finishedAt: step.finishedAt,
      })),
    })),
  };
}
