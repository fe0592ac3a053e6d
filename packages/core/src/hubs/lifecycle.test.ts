import { describe, expect, it } from "vitest";
import {
  allHubStatuses,
  canTransitionHub,
  hubStatusesThatMayBecome,
  isHubReconciled,
  isHubRetired,
  isHubSigningIn,
  liveHubStatuses,
  meteredHubStatuses,
  retiredHubStatuses,
  isHubStopped,
  sampledHubStatuses,
  stoppedHubStatuses,
} from "./lifecycle";

describe("the hub lifecycle (SPEC §3)", () => {
  it.each([
    ["PENDING", "PROVISIONING"],
    ["PROVISIONING", "READY"],
    ["READY", "DEGRADED"],
    ["DEGRADED", "READY"],
    ["READY", "UPDATING"],
    ["UPDATING", "READY"],
    ["READY", "SUSPENDED"],
    ["FAILED", "SUSPENDED"],
    ["SUSPENDED", "UPDATING"],
    ["SUSPENDED", "PENDING"],
    ["READY", "DECOMMISSIONING"],
    ["DECOMMISSIONING", "ARCHIVED"],
    ["PROVISIONING", "FAILED"],
    ["FAILED", "PROVISIONING"],
  ] as const)("allows %s → %s", (from, to) => {
    expect(canTransitionHub(from, to)).toBe(true);
  });

  it.each([
    ["ARCHIVED", "READY"],
    ["DECOMMISSIONING", "READY"],
    // Resuming is not being ready: the runtime has to start the hub first.
    ["SUSPENDED", "READY"],
    ["PENDING", "ARCHIVED"],
  ] as const)("refuses %s → %s", (from, to) => {
    expect(canTransitionHub(from, to)).toBe(false);
  });

  it("lets every hub that is not retired be retired, and nothing leave ARCHIVED", () => {
    expect(hubStatusesThatMayBecome("DECOMMISSIONING").sort()).toEqual([...liveHubStatuses].sort());
    expect(allHubStatuses.filter((to) => canTransitionHub("ARCHIVED", to))).toEqual([]);
  });

  it("keeps its groups consistent", () => {
    expect([...liveHubStatuses, ...retiredHubStatuses].sort()).toEqual([...allHubStatuses].sort());
    for (const status of retiredHubStatuses) {
      expect(isHubRetired(status)).toBe(true);
      expect(isHubReconciled(status)).toBe(false);
    }
    for (const status of meteredHubStatuses) expect(isHubRetired(status)).toBe(false);
    // A suspended hub is reconciled too: to stopped, and kept so.
    expect(isHubReconciled("SUSPENDED")).toBe(true);
    expect(isHubStopped("SUSPENDED")).toBe(true);
    for (const status of meteredHubStatuses) expect(isHubStopped(status)).toBe(false);
    // Its storage is still sampled (and billed) while it is stopped.
    expect([...sampledHubStatuses].sort()).toEqual(
      [...meteredHubStatuses, ...stoppedHubStatuses].sort(),
    );
  });

  it("suspended hub sign-in: only a hub that serves students signs people in at the portal", () => {
    expect(allHubStatuses.filter(isHubSigningIn)).toEqual(["READY", "DEGRADED", "UPDATING"]);
    for (const status of ["SUSPENDED", "DECOMMISSIONING", "ARCHIVED", "FAILED", "PENDING"] as const)
      expect(isHubSigningIn(status)).toBe(false);
  });
});
