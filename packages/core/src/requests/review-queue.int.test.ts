import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { listReviewQueue } from "./queries";

const database = useTestDatabase();

describe("the review queue", () => {
  it("pages a long queue instead of cutting it off: every request once, with the total", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const requester = await db.user.findUniqueOrThrow({
      where: { email: "prof.rivera@westvalley.edu" },
    });
    const count = 230;
    await db.hubRequest.createMany({
      data: Array.from({ length: count }, (_, index) => ({
        requesterId: requester.id,
        status: "SUBMITTED" as const,
        form: {},
        courseCode: `QUEUE ${index}`,
        courseTitle: "Paged queue",
        // Many share a start date, so the order needs its tie-breaker to page stably.
        courseStartDate: new Date(Date.UTC(2027, 0, 10 + (index % 5))),
        submittedAt: new Date(Date.UTC(2026, 10, 1)),
      })),
    });
    const ops = await actorFor(db, "ops@hubfed.example");
    const submitted = await db.hubRequest.count({ where: { status: "SUBMITTED" } });
    const seen: string[] = [];
    const first = await listReviewQueue(db, ops, { pageSize: 50 });
    expect(first.total).toBe(submitted);
    expect(first.total).toBeGreaterThan(200);
    for (let page = 1; page <= first.pageCount; page += 1)
      seen.push(...(await listReviewQueue(db, ops, { pageSize: 50, page })).items.map((r) => r.id));
    expect(seen).toHaveLength(submitted);
    expect(new Set(seen).size).toBe(submitted);
    const search = await listReviewQueue(db, ops, { search: "QUEUE 229" });
    expect(search.items.map((request) => request.courseCode)).toEqual(["QUEUE 229"]);
    await expect(listReviewQueue(db, ops, { pageSize: 1_000 })).rejects.toThrow();
  });
});
