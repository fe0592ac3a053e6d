import { describe, expect, it } from "vitest";
import { data101RequestForm } from "../demo/requests";
import {
  calendarDate,
  hubChangeRequestSchema,
  hubRequestDraftSchema,
  imageReference,
  validateForSubmission,
} from "./form";

describe("the hub request form", () => {
  it("accepts the demo course's complete form", () => {
    expect(validateForSubmission(data101RequestForm).fieldErrors).toBeNull();
  });

  it("reports a cross-field error on its field while other sections are still empty", () => {
    const { fieldErrors } = validateForSubmission({
      course: { startDate: "2027-01-25", endDate: "2027-01-10" },
    });
    expect(fieldErrors?.["course.endDate"]).toEqual(["must be after the start date"]);
    // An empty section is reported on its fields, in words, not as one error on the section.
    expect(fieldErrors?.institution).toBeUndefined();
    expect(fieldErrors?.["institution.name"]).toEqual(["is required"]);
    expect(fieldErrors?.["audience.expectedEnrollment"]).toEqual(["is required"]);
    expect(JSON.stringify(fieldErrors)).not.toContain("received undefined");
  });

  it("reports every problem of a complete form at once", () => {
    const { fieldErrors } = validateForSubmission({
      ...data101RequestForm,
      audience: { expectedEnrollment: 10, expectedConcurrentUsers: 20 },
      resources: { ...data101RequestForm.resources, memoryLimitMib: 512 },
      identity: { provider: "oidc", allowedEmailDomains: ["westvalley.edu"] },
    });
    expect(Object.keys(fieldErrors ?? {}).sort()).toEqual([
      "audience.expectedConcurrentUsers",
      "identity.issuerUrl",
      "resources.memoryLimitMib",
    ]);
  });

  it.each(["2026-02-30", "2026-13-01", "26-01-01", "2026-1-1", ""])(
    "refuses the date %j",
    (value) => {
      expect(calendarDate.safeParse(value).success).toBe(false);
    },
  );

  it.each([
    ["quay.io/jupyter/scipy-notebook:2025-06-02", true],
    ["ghcr.io/org/image@sha256:" + "a".repeat(64), true],
    ["quay.io/jupyter/scipy-notebook", false],
    ["-v /:/host", false],
    ["https://evil.example/image:1", false],
  ])("image reference %s is accepted: %s", (value, isAccepted) => {
    expect(imageReference.safeParse(value).success).toBe(isAccepted);
  });

  it("bounds what a draft may hold", () => {
    expect(
      hubRequestDraftSchema.safeParse({
        schedule: {
          importantDates: Array.from({ length: 201 }, () => ({
            kind: "EXAM",
            title: "x",
            startsAt: "2027-01-01T09:00",
          })),
        },
      }).success,
    ).toBe(false);
    expect(hubRequestDraftSchema.safeParse({ course: { title: "a\u0000b" } }).success).toBe(false);
    expect(
      hubRequestDraftSchema.safeParse({ institution: { emailDomains: ["not a domain"] } }).success,
    ).toBe(false);
  });

  it("checks a time-boxed change's window and limits", () => {
    const result = hubChangeRequestSchema.safeParse({
      hubSlug: "h",
      reason: "exam",
      change: {
        kind: "resources",
        memoryGuaranteeMib: 2048,
        memoryLimitMib: 1024,
        cpuGuaranteeMilli: 250,
        cpuLimitMilli: 500,
        startsOn: "2026-10-10",
        endsOn: "2026-10-01",
      },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join(".")).sort()).toEqual([
      "change.endsOn",
      "change.memoryLimitMib",
    ]);
  });
});
