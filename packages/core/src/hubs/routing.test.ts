import { describe, expect, it } from "vitest";
import type { HubStatus } from "@hubfed/db";
import { chooseHub, isHubLaunchable, type RoutableHub } from "./routing";

const hub = (id: string, status: HubStatus, weight = 100): RoutableHub => ({
  id,
  slug: id,
  status,
  url: `https://${id}.example`,
  weight,
  cluster: { isSimulated: false },
});

describe("chooseHub", () => {
  it("keeps a placed student on their hub, even while it is unhealthy", () => {
    const choice = chooseHub([hub("a", "READY"), hub("b", "DEGRADED")], "b", "student-1");
    expect(choice).toMatchObject({ hub: { id: "b" }, isNewPlacement: false });
  });

  it("places again when the sticky hub is gone, preferring READY hubs", () => {
    const choice = chooseHub(
      [hub("a", "ARCHIVED"), hub("b", "PROVISIONING"), hub("c", "READY")],
      "a",
      "student-1",
    );
    expect(choice).toMatchObject({ hub: { id: "c" }, isNewPlacement: true });
  });

  it("spreads students by weight, the same way every time", () => {
    const hubs = [hub("a", "READY", 300), hub("b", "READY", 100), hub("c", "READY", 0)];
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let index = 0; index < 4000; index += 1) {
      const first = chooseHub(hubs, null, `student-${index}`);
      const again = chooseHub([...hubs].reverse(), null, `student-${index}`);
      expect(again?.hub.id).toBe(first?.hub.id);
      counts[first!.hub.id]! += 1;
    }
    expect(counts.c).toBe(0);
    expect(counts.a! / 4000).toBeGreaterThan(0.7);
    expect(counts.a! / 4000).toBeLessThan(0.8);
  });

  it("without a READY hub, shows the one closest to serving and does not place", () => {
    const choice = chooseHub([hub("a", "FAILED"), hub("b", "PROVISIONING")], null, "s");
    expect(choice).toMatchObject({ hub: { id: "b" }, isNewPlacement: false });
    expect(chooseHub([hub("a", "ARCHIVED")], null, "s")).toBeUndefined();
  });
});

describe("isHubLaunchable", () => {
  it("launches only a READY hub with an address on a real cluster", () => {
    expect(isHubLaunchable(hub("a", "READY"))).toBe(true);
    expect(isHubLaunchable({ ...hub("a", "READY"), url: null })).toBe(false);
    expect(isHubLaunchable(hub("a", "DEGRADED"))).toBe(false);
    // The demo's simulated Kubernetes API: provisioned for real, nothing answers at its address.
    expect(isHubLaunchable({ ...hub("a", "READY"), cluster: { isSimulated: true } })).toBe(false);
  });
});
