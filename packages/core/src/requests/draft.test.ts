import { describe, expect, it } from "vitest";
import { keepWithheldValues, splitSavableDraft, withheldPathOf } from "./draft";

const saved = {
  institution: {
    name: "West Valley College",
    emailDomains: ["westvalley.edu"],
    contacts: [{ name: "Ian Admin", email: "it-admin@westvalley.edu", role: "IT" }],
  },
  audience: { expectedEnrollment: 120, expectedConcurrentUsers: 60 },
};

describe("splitSavableDraft", () => {
  it("withholds an incomplete contact row as the whole list, and saves everything else", () => {
    const typed = {
      ...saved,
      institution: {
        ...saved.institution,
        name: "West Valley College of the Arts",
        contacts: [...saved.institution.contacts, { name: "", email: "", role: "" }],
      },
    };
    const { draft, withheldPaths } = splitSavableDraft(typed);
    expect(withheldPaths).toEqual(["institution.contacts"]);
    expect(draft.institution?.name).toBe("West Valley College of the Arts");
    expect(draft.institution?.contacts).toBeUndefined();
    expect(draft.audience).toEqual(saved.audience);
  });

  it("withholds an invalid number and keeps its neighbours", () => {
    const { draft, withheldPaths } = splitSavableDraft({
      ...saved,
      audience: { expectedEnrollment: 0, expectedConcurrentUsers: 60 },
    });
    expect(withheldPaths).toEqual(["audience.expectedEnrollment"]);
    expect(draft.audience).toEqual({ expectedConcurrentUsers: 60 });
    expect(draft.institution).toEqual(saved.institution);
  });

  it("never gives up on the whole draft", () => {
    const { draft, withheldPaths } = splitSavableDraft({ ...saved, course: "not a section" });
    expect(withheldPaths).toEqual(["course"]);
    expect(draft.institution).toEqual(saved.institution);
  });

  it("cuts issue paths at the first list index", () => {
    expect(withheldPathOf(["institution", "contacts", 1, "name"])).toBe("institution.contacts");
    expect(withheldPathOf(["audience", "expectedEnrollment"])).toBe("audience.expectedEnrollment");
  });
});

describe("keepWithheldValues", () => {
  it("keeps the stored value at every withheld path, so a save never erases what it did not receive", () => {
    const typed = {
      ...saved,
      institution: { ...saved.institution, contacts: [{ name: "", email: "", role: "" }] },
      audience: { expectedEnrollment: 0, expectedConcurrentUsers: 60 },
    };
    const { draft, withheldPaths } = splitSavableDraft(typed);
    expect(keepWithheldValues(draft, saved, withheldPaths)).toEqual(saved);
  });

  it("clears what the person cleared: a path neither sent nor withheld", () => {
    const cleared = keepWithheldValues({ institution: { name: "West Valley College" } }, saved, []);
    expect(cleared).toEqual({ institution: { name: "West Valley College" } });
  });

  it("grafts nothing the form does not have", () => {
    const stored = { ...saved, isApproved: true };
    expect(keepWithheldValues({}, stored, ["isApproved", "audience.expectedEnrollment"])).toEqual({
      audience: { expectedEnrollment: 120 },
    });
  });
});
