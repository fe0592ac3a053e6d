import { beforeAll, describe, expect, it } from "vitest";
import { getCourseOverview } from "./course-overview";
import { useDemoFederation } from "./test-fixtures";

const { database, instructor } = useDemoFederation();
const courseSlug = "wvc-data-101-fa26";

beforeAll(async () => {
  await database().db.hub.update({
    where: { slug: courseSlug },
    data: { status: "READY", url: "http://127.0.0.1:18000" },
  });
});

describe("the course overview", () => {
  it("counts the course's staff and shows its hubs to an instructor, who may manage it", async () => {
    const db = database().db;
    const overview = await getCourseOverview(db, instructor(), courseSlug);
    expect(overview.enrollment).toMatchObject({ instructors: 1, tas: 1 });
    expect(overview.hubs[0]).toMatchObject({ slug: courseSlug, status: "READY" });
    expect(overview.canManage).toBe(true);
  });
});
