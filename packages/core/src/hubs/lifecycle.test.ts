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
    ["SUSPENDED", "READY"],
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
    ["SUSPENDED", "UPDATING"],
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
    expect(isHubReconciled("SUSPENDED")).toBe(false);
  });

  it("suspended hub sign-in: only a hub that serves students signs people in at the portal", () => {
    expect(allHubStatuses.filter(isHubSigningIn)).toEqual(["READY", "DEGRADED", "UPDATING"]);
    for (const status of ["SUSPENDED", "DECOMMISSIONING", "ARCHIVED", "FAILED", "PENDING"] as const)
      expect(isHubSigningIn(status)).toBe(false);
  });
});
