import { describe, expect, it } from "vitest";
import { loadActor } from "@hubfed/auth/actor";
import { createTestCourse, useTestDatabase } from "@hubfed/db/testing";
import { countUnreadNotifications, loadPageViewer } from "./inbox";

// Every portal page reads who is looking in one statement: the roles that authorize it and the
// unread count in its header. Both must say exactly what their own queries say.

const database = useTestDatabase();

describe("loadPageViewer", () => {
  it("reads the same roles as loadActor and counts only the person's own unread notifications", async () => {
    const db = database().db;
    const institution = await db.institution.create({
      data: { slug: "viewer-west", name: "Viewer West", emailDomains: [] },
    });
    const course = await createTestCourse(db, {
      slug: "viewer-data-1",
      institutionId: institution.id,
    });
    const person = await db.user.create({
      data: { username: "viewer-student", email: "viewer@example.org" },
    });
    const other = await db.user.create({
      data: { username: "viewer-other", email: "viewer-other@example.org" },
    });
    await db.enrollment.create({
      data: { userId: person.id, courseId: course.id, role: "STUDENT" },
    });
    const note = (userId: string, readAt: Date | null) => ({
      userId,
      kind: "test",
      title: "A note",
      body: "Something happened",
      readAt,
    });
    await db.notification.createMany({
      data: [
        note(person.id, null),
        note(person.id, null),
        note(person.id, new Date()),
        note(other.id, null),
      ],
    });

    const viewer = await loadPageViewer(db, person.id);
    const actor = await loadActor(db, person.id);
    expect(viewer?.actor).toEqual(actor);
    expect(viewer?.actor.courseRoles.get(course.id)).toEqual({
      role: "student",
      institutionId: institution.id,
    });
    expect(viewer?.unreadNotifications).toBe(2);
    expect(viewer?.unreadNotifications).toBe(await countUnreadNotifications(db, actor!));
  });

  it("is undefined for someone who is not (or no longer) a user", async () => {
    expect(await loadPageViewer(database().db, "no-such-user")).toBeUndefined();
  });
});
