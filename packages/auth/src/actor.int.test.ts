import { describe, expect, it } from "vitest";
import { createTestCourse, useTestDatabase } from "@hubfed/db/testing";
import { loadActor } from "./actor";

// Every page and procedure decides what someone may do from loadActor's answer, read in one
// statement. Against a real database: each kind of role, several at once, and nobody.

const database = useTestDatabase();

async function institution(slug: string) {
  return database().db.institution.create({
    data: { slug, name: `Institution ${slug}`, emailDomains: [] },
  });
}

const course = (slug: string, institutionId: string) =>
  createTestCourse(database().db, { slug, institutionId });

describe("loadActor", () => {
  it("reads every role a person holds: operator, institution admin, and each course role with its institution", async () => {
    const db = database().db;
    const west = await institution("actor-west");
    const east = await institution("actor-east");
    const data = await course("actor-data-1", west.id);
    const stats = await course("actor-stats-2", east.id);
    const unrelated = await course("actor-other-3", east.id);
    const person = await db.user.create({
      data: { username: "actor-many", email: "many@example.org", isOperator: true },
    });
    const other = await db.user.create({
      data: { username: "actor-other", email: "other@example.org" },
    });
    await db.institutionMembership.createMany({
      data: [
        { userId: person.id, institutionId: east.id, role: "ADMIN" },
        // Not an admin role: never read as one.
        { userId: person.id, institutionId: west.id, role: "MEMBER" },
        { userId: other.id, institutionId: west.id, role: "ADMIN" },
      ],
    });
    await db.enrollment.createMany({
      data: [
        { userId: person.id, courseId: data.id, role: "INSTRUCTOR" },
        { userId: person.id, courseId: stats.id, role: "STUDENT" },
        { userId: other.id, courseId: unrelated.id, role: "TA" },
      ],
    });

    const actor = await loadActor(db, person.id);
    expect(actor?.userId).toBe(person.id);
    expect(actor?.isOperator).toBe(true);
    expect([...(actor?.adminOfInstitutionIds ?? [])]).toEqual([east.id]);
    expect(Object.fromEntries(actor?.courseRoles ?? [])).toEqual({
      [data.id]: { role: "instructor", institutionId: west.id },
      [stats.id]: { role: "student", institutionId: east.id },
    });

    const ta = await loadActor(db, other.id);
    expect(ta?.isOperator).toBe(false);
    expect(Object.fromEntries(ta?.courseRoles ?? [])).toEqual({
      [unrelated.id]: { role: "ta", institutionId: east.id },
    });
  });

  it("gives a person without roles empty sets, and nobody for a user who does not exist", async () => {
    const db = database().db;
    const newcomer = await db.user.create({
      data: { username: "actor-new", email: "new@example.org" },
    });
    const actor = await loadActor(db, newcomer.id);
    expect(actor).toMatchObject({ userId: newcomer.id, isOperator: false });
    expect(actor?.adminOfInstitutionIds.size).toBe(0);
    expect(actor?.courseRoles.size).toBe(0);
    expect(await loadActor(db, "no-such-user")).toBeUndefined();
  });
});
