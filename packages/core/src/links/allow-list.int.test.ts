import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { updateCourseAllowList } from "./allow-list";
import { validateContentLink } from "./validation";

// A course's allowed repositories belong to the course: its instructors keep
// them (no operator needed), within the rule that every entry is a GitHub
// organisation or repository the portal can check.

const database = useTestDatabase();
const course = "wvc-data-101-fa26";

beforeAll(async () => {
  await seedDemoFederation(database().db);
});

describe("a course's allowed repositories", () => {
  it("are set by the course's instructor, normalised and without duplicates, with an audit event", async () => {
    const db = database().db;
    const instructor = await actorFor(db, "prof.rivera@westvalley.edu");
    const result = await updateCourseAllowList(db, instructor, {
      courseSlug: course,
      entries: [
        "https://github.com/WestValley-Data/",
        "github.com/westvalley-data",
        "github.com/ds-modules/materials",
      ],
    });
    expect(result.allowList).toEqual([
      "github.com/westvalley-data",
      "github.com/ds-modules/materials",
    ]);
    const stored = await db.course.findUniqueOrThrow({ where: { slug: course } });
    expect(stored.contentRepositoryAllowList).toEqual(result.allowList);
    expect(
      await db.auditEvent.count({
        where: { action: "course.allow-list.update", subjectId: stored.id },
      }),
    ).toBe(1);
    // A link from the newly allowed repository now passes the course's check.
    const link = validateContentLink(
      {
        title: "Modules",
        repositoryUrl: "https://github.com/ds-modules/materials",
        branch: "main",
        path: "intro.ipynb",
        interface: "LAB",
      },
      stored.contentRepositoryAllowList,
    );
    expect(link.success).toBe(true);
  });

  it("refuses entries outside the rule, each on its own line, and keeps the stored list", async () => {
    const db = database().db;
    const instructor = await actorFor(db, "prof.rivera@westvalley.edu");
    const before = (await db.course.findUniqueOrThrow({ where: { slug: course } }))
      .contentRepositoryAllowList;
    const refusal = await updateCourseAllowList(db, instructor, {
      courseSlug: course,
      entries: ["github.com/fine-org", "gitlab.com/some-org", "github.com", "not a url at all"],
    }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: "BAD_REQUEST" });
    const fieldErrors = (refusal as { fieldErrors: Record<string, string[]> }).fieldErrors;
    expect(Object.keys(fieldErrors).sort()).toEqual(["1", "2", "3"]);
    expect(fieldErrors["1"]?.[0]).toMatch(/github\.com/);
    expect(fieldErrors["2"]?.[0]).toMatch(/organisation or a repository/);
    expect(
      (await db.course.findUniqueOrThrow({ where: { slug: course } })).contentRepositoryAllowList,
    ).toEqual(before);
  });

  it("is for instructors: a TA is refused, a student and another course's instructor do not see the course", async () => {
    const db = database().db;
    const entries = ["github.com/anything"];
    await expect(
      updateCourseAllowList(db, await actorFor(db, "ta.chen@westvalley.edu"), {
        courseSlug: course,
        entries,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      updateCourseAllowList(db, await actorFor(db, "student@westvalley.edu"), {
        courseSlug: course,
        entries,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      updateCourseAllowList(db, await actorFor(db, "prof.okafor@cascade.edu"), {
        courseSlug: course,
        entries,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
