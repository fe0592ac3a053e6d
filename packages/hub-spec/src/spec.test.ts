import { describe, expect, it } from "vitest";
import {
  hubInterfaceLabels,
  hubInterfaceStartPaths,
  hubInterfaces,
  hubSpecSchema,
  type HubSpecFieldHandling,
} from ".";

const validSpec = {
  image: "quay.io/jupyter/scipy-notebook:2025-10-20",
  interface: "lab",
  memoryGuaranteeMib: 1024,
  memoryLimitMib: 2048,
  cpuGuaranteeMilli: 500,
  cpuLimitMilli: 1000,
  storageGib: 10,
  cullTimeoutSeconds: 3600,
  cullMaxAgeSeconds: 0,
  startTimeoutSeconds: 300,
  placeholderSeats: 0,
  autograder: { isEnabled: false },
  auth: { provider: "google", allowedEmailDomains: ["example.edu"] },
};

describe("the hub spec", () => {
  it("accepts a complete spec and refuses one missing a field", () => {
    expect(hubSpecSchema.parse(validSpec)).toEqual(validSpec);
    const { storageGib: _storageGib, ...withoutStorage } = validSpec;
    expect(hubSpecSchema.safeParse(withoutStorage).success).toBe(false);
  });

  it("refuses an interface no runtime can open", () => {
    expect(hubSpecSchema.safeParse({ ...validSpec, interface: "vscode" }).success).toBe(false);
  });

  it("labels every interface and gives each a start path", () => {
    for (const name of hubInterfaces) {
      expect(hubInterfaceLabels[name]).toMatch(/\w/);
      expect(hubInterfaceStartPaths[name]).toMatch(/^\/[a-z]+$/);
    }
  });
});

describe("a runtime's account of the spec", () => {
  it("does not compile when a field is left out", () => {
    const { auth: _auth, ...allButAuth } = Object.fromEntries(
      Object.keys(hubSpecSchema.shape).map((field) => [field, "handled"]),
    ) as HubSpecFieldHandling;
    // @ts-expect-error — `auth` is missing, which is the point: each runtime must place every field.
    const incomplete: HubSpecFieldHandling = allButAuth;
    expect(Object.keys(incomplete)).not.toContain("auth");
  });
});
