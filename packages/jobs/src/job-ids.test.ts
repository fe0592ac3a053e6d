import { describe, expect, it } from "vitest";
import {
  assertJobIdAccepted,
  decommissionJobId,
  gitOpsExportJobId,
  provisionJobId,
  revokeHubAccessJobId,
} from "./job-ids";

describe("job ids", () => {
  it.each([
    "heartbeat",
    "provision:hub1:3",
    "provision:hub1:retry-1763800000000",
    "gitops-export:manual:1",
  ])("accepts %s", (jobId) => expect(() => assertJobIdAccepted(jobId)).not.toThrow());

  it.each(["provision:hub1:retry:1763800000000", "a:b", "a:b:c:d"])(
    "refuses %s, which BullMQ would refuse with a less helpful message",
    (jobId) => expect(() => assertJobIdAccepted(jobId)).toThrow(/exactly twice/),
  );
});

describe("job id helpers", () => {
  it.each([
    [provisionJobId("hub1", { specRevision: 3 }), "provision:hub1:3"],
    [
      provisionJobId("hub1", { occasion: "retry", atMs: 1763800000000 }),
      "provision:hub1:retry-1763800000000",
    ],
    [
      provisionJobId("hub1", { occasion: "secret-rotation", atMs: 1763800000000 }),
      "provision:hub1:secret-rotation-1763800000000",
    ],
    [
      provisionJobId("hub1", { occasion: "start", atMs: 1763800000000 }),
      "provision:hub1:start-1763800000000",
    ],
    [provisionJobId("hub1", { driftWindow: 2939666 }), "provision:hub1:drift-2939666"],
    [decommissionJobId("hub1"), "decommission:hub1:once"],
    [gitOpsExportJobId({ manualAtMs: 1763800000000 }), "gitops-export:manual:1763800000000"],
    [
      gitOpsExportJobId({ afterReconcileWindow: 58793333 }),
      "gitops-export:after-reconcile:58793333",
    ],
    [revokeHubAccessJobId("rev1"), "revoke-access:rev1:first"],
    [revokeHubAccessJobId("rev1", 1763800000000), "revoke-access:rev1:retry-1763800000000"],
  ])("builds %s, which BullMQ accepts", (jobId, expected) => {
    expect(jobId).toBe(expected);
    expect(() => assertJobIdAccepted(jobId)).not.toThrow();
  });
});
