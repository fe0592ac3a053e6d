import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { seedDemoFederation } from "../testing/demo-federation";
import { runRecorded, StepFailedError } from "./provisioning-run";

// What people watching a hub's run see: every step's outcome with its real
// times, a slow step shown RUNNING while it runs (and everything before it
// finished), and a failure on the step and the run. Steps that finish at once
// are written together, so the record must still be whole at the end.

const database = useTestDatabase();
let hubId: string;

beforeAll(async () => {
  await seedDemoFederation(database().db);
  hubId = (await database().db.hub.findUniqueOrThrow({ where: { slug: "ccc-cs-120-fa26" } })).id;
});

const noRenewal = () => Promise.resolve();

async function stepsOf(runId: string) {
  return database().db.provisioningStep.findMany({
    where: { runId },
    orderBy: { position: "asc" },
  });
}

describe("a recorded provisioning run", () => {
  it("records every step's outcome, detail and times when all finish at once", async () => {
    const db = database().db;
    const before = new Date();
    const runId = await runRecorded(db, {
      hubId,
      trigger: "drift",
      revision: 3,
      steps: ["Namespace", "Secrets", "Release"].map((name, index) => ({
        name,
        run: () => Promise.resolve(index === 1 ? undefined : `${name} unchanged`),
      })),
      renewLease: noRenewal,
    });
    const run = await db.provisioningRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ status: "SUCCEEDED", trigger: "drift", specRevision: 3 });
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
    const steps = await stepsOf(runId);
    expect(steps.map((step) => [step.name, step.status, step.detail])).toEqual([
      ["Namespace", "SUCCEEDED", "Namespace unchanged"],
      ["Secrets", "SUCCEEDED", null],
      ["Release", "SUCCEEDED", "Release unchanged"],
    ]);
    for (const step of steps) {
      // The times are the real ones, stored as UTC like every DateTime Prisma writes.
      expect(step.startedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
      expect(step.finishedAt!.getTime()).toBeGreaterThanOrEqual(step.startedAt!.getTime());
      expect(step.finishedAt!.getTime()).toBeLessThanOrEqual(run.finishedAt!.getTime());
    }
  });

  it("shows a slow step RUNNING while it runs, with the steps before it already finished", async () => {
    const db = database().db;
    let seenWhileRunning: Array<[string, string]> = [];
    let runIdSeen: string | undefined;
    const runId = await runRecorded(db, {
      hubId,
      trigger: "approval",
      revision: 1,
      steps: [
        { name: "Quick", run: () => Promise.resolve("done") },
        {
          name: "Slow",
          run: async () => {
            await new Promise((resolve) => setTimeout(resolve, 600));
            const run = await db.provisioningRun.findFirstOrThrow({
              where: { hubId, trigger: "approval" },
              orderBy: { queuedAt: "desc" },
            });
            runIdSeen = run.id;
            seenWhileRunning = (await stepsOf(run.id)).map((step) => [step.name, step.status]);
            return "took a while";
          },
        },
        { name: "Last", run: () => Promise.resolve(undefined) },
      ],
      renewLease: noRenewal,
    });
    expect(runIdSeen).toBe(runId);
    expect(seenWhileRunning).toEqual([
      ["Quick", "SUCCEEDED"],
      ["Slow", "RUNNING"],
      ["Last", "QUEUED"],
    ]);
    expect((await stepsOf(runId)).map((step) => step.status)).toEqual([
      "SUCCEEDED",
      "SUCCEEDED",
      "SUCCEEDED",
    ]);
  });

  it("records a failure on its step and on the run, and leaves the steps after it queued", async () => {
    const db = database().db;
    const attempt = runRecorded(db, {
      hubId,
      trigger: "change",
      revision: 2,
      steps: [
        { name: "Namespace", run: () => Promise.resolve("ok") },
        {
          name: "Release",
          run: () => Promise.reject(new Error("the chart's values were refused")),
        },
        { name: "Wait", run: () => Promise.resolve("never runs") },
      ],
      renewLease: noRenewal,
    });
    const failure = await attempt.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StepFailedError);
    const { runId } = failure as StepFailedError;
    const run = await db.provisioningRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("FAILED");
    expect(run.error).toBe("Release: the chart's values were refused");
    expect(
      (await stepsOf(runId)).map((step) => [step.name, step.status, step.error ?? step.detail]),
    ).toEqual([
      ["Namespace", "SUCCEEDED", "ok"],
      ["Release", "FAILED", "the chart's values were refused"],
      ["Wait", "QUEUED", null],
    ]);
  });
});
