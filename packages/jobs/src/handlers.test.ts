import { describe, expect, it } from "vitest";
import {
  applyCapacityJob,
  applySpecChangesJob,
  checkHubHealthJob,
  creditHousekeepingJob,
  decommissionHubJob,
  endOfTermJob,
  foldLinkClicksJob,
  gradeSubmissionJob,
  sweepGradingJob,
  gitOpsExportJob,
  heartbeatJob,
  identityHousekeepingJob,
  jobDefinitions,
  postDailyUsageJob,
  provisionHubJob,
  reconcileFleetJob,
  revokeHubAccessJob,
  sampleUsageJob,
  sendNotificationEmailsJob,
  verifyContentLinksJob,
  type JobName,
} from "./definitions";
import { isJobName, runJobHandler, type JobHandlers } from "./handlers";

/** What the handlers below were called with, in order. */
type CallLog = Array<{ name: JobName; payload: unknown; isLastAttempt: boolean }>;

function recordCall(name: JobName) {
  return (payload: unknown, log: CallLog, attempt: { isLastAttempt: boolean }) => {
    log.push({ name, payload, isLastAttempt: attempt.isLastAttempt });
    return Promise.resolve(name);
  };
}

const completeHandlers: JobHandlers<CallLog> = {
  [heartbeatJob.name]: recordCall(heartbeatJob.name),
  // The payload's type comes from the definition: no cast, and hubId is a string.
  [provisionHubJob.name]: (payload, log, attempt) => {
    const hubId: string = payload.hubId;
    log.push({
      name: provisionHubJob.name,
      payload: { hubId, trigger: payload.trigger },
      ...attempt,
    });
    return Promise.resolve(hubId);
  },
  [decommissionHubJob.name]: recordCall(decommissionHubJob.name),
  [checkHubHealthJob.name]: recordCall(checkHubHealthJob.name),
  [reconcileFleetJob.name]: recordCall(reconcileFleetJob.name),
  [applySpecChangesJob.name]: recordCall(applySpecChangesJob.name),
  [applyCapacityJob.name]: recordCall(applyCapacityJob.name),
  [endOfTermJob.name]: recordCall(endOfTermJob.name),
  [sendNotificationEmailsJob.name]: recordCall(sendNotificationEmailsJob.name),
  [sampleUsageJob.name]: recordCall(sampleUsageJob.name),
  [postDailyUsageJob.name]: recordCall(postDailyUsageJob.name),
  [creditHousekeepingJob.name]: recordCall(creditHousekeepingJob.name),
  [identityHousekeepingJob.name]: recordCall(identityHousekeepingJob.name),
  [gitOpsExportJob.name]: recordCall(gitOpsExportJob.name),
  [verifyContentLinksJob.name]: recordCall(verifyContentLinksJob.name),
  [foldLinkClicksJob.name]: recordCall(foldLinkClicksJob.name),
  [gradeSubmissionJob.name]: recordCall(gradeSubmissionJob.name),
  [sweepGradingJob.name]: recordCall(sweepGradingJob.name),
  [revokeHubAccessJob.name]: recordCall(revokeHubAccessJob.name),
};

describe("the handler table", () => {
  it("runs a job's handler with the payload its schema parsed", async () => {
    const log: CallLog = [];
    const result = await runJobHandler(
      completeHandlers,
      { name: provisionHubJob.name, data: { hubId: "hub1", trigger: "drift" } },
      log,
      { isLastAttempt: true },
    );
    expect(result).toBe("hub1");
    expect(log).toEqual([
      { name: "hub.provision", payload: { hubId: "hub1", trigger: "drift" }, isLastAttempt: true },
    ]);
  });

  it("refuses data its schema does not accept, before the handler runs", async () => {
    const log: CallLog = [];
    await expect(
      runJobHandler(
        completeHandlers,
        { name: provisionHubJob.name, data: { hubId: "hub1", trigger: "whim" } },
        log,
        { isLastAttempt: false },
      ),
    ).rejects.toThrow(/trigger/);
    expect(log).toEqual([]);
  });

  it("knows every defined job's name, and only those", () => {
    expect(jobDefinitions.every((definition) => isJobName(definition.name))).toBe(true);
    expect(isJobName("no-such-job")).toBe(false);
    expect(Object.keys(completeHandlers).sort()).toEqual(
      jobDefinitions.map((definition) => definition.name).sort(),
    );
  });

  it("does not compile without a handler for every job, or with a misspelt one", () => {
    const { [decommissionHubJob.name]: _left, ...withoutDecommission } = completeHandlers;
    // @ts-expect-error -- "hub.decommission" has no handler.
    const incomplete: JobHandlers<CallLog> = withoutDecommission;
    expect(Object.keys(incomplete)).not.toContain("hub.decommission");

    const misspelt: JobHandlers<CallLog> = {
      ...completeHandlers,
      // @ts-expect-error -- no job is called "hub.provison".
      "hub.provison": recordCall(provisionHubJob.name),
    };
    expect(Object.keys(misspelt)).toContain("hub.provison");
  });

  it("does not compile a handler that reads a payload its job does not have", () => {
    const handlers: JobHandlers<CallLog> = {
      ...completeHandlers,
      // @ts-expect-error -- the heartbeat's payload is empty: it has no hubId.
      [heartbeatJob.name]: (payload: { hubId: string }) => Promise.resolve(payload.hubId),
    };
    expect(Object.keys(handlers)).toHaveLength(jobDefinitions.length);
  });
});
