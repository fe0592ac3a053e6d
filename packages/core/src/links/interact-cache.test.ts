import { describe, expect, it, vi } from "vitest";
import type { DatabaseClient } from "@hubfed/db";
import { createInteractCache, loadEnrollment } from "./interact-cache";

function fakeDatabase(roster: Array<{ userId: string; id: string; hubId: string | null }>) {
  const findMany = vi.fn(() => Promise.resolve(roster));
  const findUnique = vi.fn(({ where }: { where: { userId_courseId: { userId: string } } }) =>
    Promise.resolve(
      where.userId_courseId.userId === "late-joiner" ? { id: "e-late", hubId: null } : null,
    ),
  );
  return {
    db: { enrollment: { findMany, findUnique } } as unknown as DatabaseClient,
    findMany,
    findUnique,
  };
}

describe("loadEnrollment", () => {
  it("answers a class's clicks from one roster query, not a query per student", async () => {
    const students = Array.from({ length: 50 }, (_, index) => ({
      userId: `s${index}`,
      id: `e${index}`,
      hubId: null,
    }));
    const { db, findMany, findUnique } = fakeDatabase(students);
    const cache = createInteractCache();
    const found = await Promise.all(
      students.map((student) => loadEnrollment(db, student.userId, "course", cache)),
    );
    expect(found.map((enrollment) => enrollment?.id)).toEqual(students.map((s) => s.id));
    expect(findMany).toHaveBeenCalledTimes(1);
    expect(findUnique).not.toHaveBeenCalled();
  });

  it("asks for one student missing from the roster (enrolled since), and never keeps a no", async () => {
    const { db, findUnique } = fakeDatabase([]);
    const cache = createInteractCache();
    expect(await loadEnrollment(db, "late-joiner", "course", cache)).toEqual({
      id: "e-late",
      hubId: null,
    });
    expect(await loadEnrollment(db, "stranger", "course", cache)).toBeNull();
    expect(await loadEnrollment(db, "stranger", "course", cache)).toBeNull();
    expect(findUnique).toHaveBeenCalledTimes(3);
  });
});
