import { describe, expect, it } from "vitest";
import type { HubStatus } from "@hubfed/db";
import { pickHub } from "./hub-choice";

const hub = (id: string, status: HubStatus, weight = 100) => ({ id, status, weight });

describe("pickHub", () => {
  it("keeps a person on their sticky hub even while it is not ready", () => {
    const hubs = [hub("a", "READY"), hub("b", "UPDATING")];
    expect(pickHub(hubs, "user-1", "b")?.id).toBe("b");
  });

  it("drops stickiness to a retired hub", () => {
    const hubs = [hub("a", "READY"), hub("b", "ARCHIVED")];
    expect(pickHub(hubs, "user-1", "b")?.id).toBe("a");
  });

  it("prefers READY hubs, then ones with problems, then any live hub", () => {
    expect(pickHub([hub("a", "FAILED"), hub("b", "READY")], "u", null)?.id).toBe("b");
    expect(pickHub([hub("a", "FAILED"), hub("b", "DEGRADED")], "u", null)?.id).toBe("b");
    expect(pickHub([hub("a", "PROVISIONING")], "u", null)?.id).toBe("a");
    expect(pickHub([hub("a", "DECOMMISSIONING")], "u", null)).toBeUndefined();
  });

  it("is deterministic per person and splits people by weight", () => {
    const hubs = [hub("east", "READY", 300), hub("west", "READY", 100)];
    const counts = { east: 0, west: 0 };
    for (let index = 0; index < 4000; index += 1) {
      const chosen = pickHub(hubs, `user-${index}`, null);
      expect(pickHub(hubs, `user-${index}`, null)?.id).toBe(chosen?.id);
      counts[chosen?.id as "east" | "west"] += 1;
    }
    // Expected 3:1 (3000 / 1000); allow sampling noise.
    expect(counts.east).toBeGreaterThan(2850);
    expect(counts.east).toBeLessThan(3150);
  });

  it("sends nobody to a zero-weight hub while another takes people", () => {
    const hubs = [hub("drain", "READY", 0), hub("main", "READY", 100)];
    for (let index = 0; index < 200; index += 1)
      expect(pickHub(hubs, `user-${index}`, null)?.id).toBe("main");
  });

  it("moves only people without a hub when a section is added", () => {
    const before = [hub("a", "READY")];
    const after = [hub("a", "READY"), hub("b", "READY")];
    for (let index = 0; index < 100; index += 1)
      expect(
        pickHub(after, `user-${index}`, pickHub(before, `user-${index}`, null)?.id ?? null)?.id,
      ).toBe("a");
  });
});
