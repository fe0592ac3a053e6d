import { describe, expect, it } from "vitest";
import { can, rolesOf, type Actor } from "./permissions";

function actor(overrides: Partial<Actor> = {}): Actor {
  return {
    userId: "u",
    isOperator: false,
    adminOfInstitutionIds: new Set(),
    courseRoles: new Map(),
    ...overrides,
  };
}

describe("can", () => {
  it("lets only operators read regions", () => {
    expect(can(actor({ isOperator: true }), "region.read")).toBe(true);
    expect(can(actor({ adminOfInstitutionIds: new Set(["i1"]) }), "region.read")).toBe(false);
    expect(
      can(
        actor({ courseRoles: new Map([["c1", { role: "instructor", institutionId: "i1" }]]) }),
        "region.read",
      ),
    ).toBe(false);
  });

  it("checks course roles in the scope asked about, not elsewhere", () => {
    const student = actor({
      courseRoles: new Map([["c1", { role: "student", institutionId: "i1" }]]),
    });
    expect(can(student, "profile.read", { courseId: "c1" })).toBe(true);
    expect(can(student, "profile.read", { courseId: "c2" })).toBe(false);
    expect(can(student, "profile.read", { institutionId: "i1" })).toBe(true);
    expect(can(student, "profile.read", { institutionId: "i2" })).toBe(false);
  });

  it("gives an institution admin the institution's courses but not other institutions", () => {
    const admin = actor({ adminOfInstitutionIds: new Set(["i1"]) });
    expect(can(admin, "profile.read", { institutionId: "i1" })).toBe(true);
    expect(can(admin, "profile.read", { institutionId: "i2" })).toBe(false);
  });

  it("refuses a user with no role at all", () => {
    expect(can(actor(), "profile.read")).toBe(false);
    expect(rolesOf(actor())).toEqual([]);
  });
});
