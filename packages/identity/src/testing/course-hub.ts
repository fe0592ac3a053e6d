import type { DatabaseClient } from "@hubfed/db";
import type { HubSignInPredicate } from "../hub-clients";

/**
 * A stand-in for core's rule (isHubSigningIn, which the portal passes in): identity's tests may
 * not import core, and need only know that a READY hub signs people in and a SUSPENDED or
 * DECOMMISSIONING one does not.
 */
export const readyHubsSignPeopleIn: HubSignInPredicate = (status) => status === "READY";

/**
 * The least a sign-in needs, written straight through the database client: one course with one
 * hub (READY), an enrolled student, an enrolled instructor and someone from another institution who is
 * enrolled in nothing. Identity's tests seed this instead of core's demo federation, so the
 * package that core builds on never imports core. (Row contents beyond what sign-in reads are
 * placeholders: identity never looks at regions, prices or hub specs.)
 */
export interface CourseHubFixture {
  courseSlug: string;
  hub: { id: string; slug: string };
  /** Makes another hub of the same course, for a test that needs one of its own. */
  addHub(slug: string): Promise<{ id: string; slug: string }>;
  studentId: string;
  instructorId: string;
  outsiderId: string;
}

export async function seedCourseHub(db: DatabaseClient): Promise<CourseHubFixture> {
  const courseSlug = "wvc-data-101-fa26";
  const region = await db.region.create({
    data: {
      slug: "test-region",
      name: "Test region",
      baseDomain: "hubs.example.org",
      currency: "USD",
      hubDefaults: {},
      prices: {},
      configHash: "test",
    },
  });
  const cluster = await db.cluster.create({
    data: { regionId: region.id, slug: "local", displayName: "Local", runtime: "LOCAL" },
  });
  const westValley = await db.institution.create({
    data: { slug: "westvalley", name: "West Valley College", emailDomains: ["westvalley.edu"] },
  });
  await db.institution.create({
    data: { slug: "cascade", name: "Cascade University", emailDomains: ["cascade.edu"] },
  });
  const course = await db.course.create({
    data: {
      institutionId: westValley.id,
      slug: courseSlug,
      code: "DATA 101",
      title: "Foundations of Data Science",
      term: "Fall 2026",
      startDate: new Date("2026-08-24"),
      endDate: new Date("2026-12-11"),
      timezone: "America/Los_Angeles",
      expectedEnrollment: 40,
      expectedConcurrentUsers: 30,
    },
  });
  const addHub = (slug: string) =>
    db.hub.create({
      data: { slug, courseId: course.id, clusterId: cluster.id, spec: {}, status: "READY" },
      select: { id: true, slug: true },
    });
  const hub = await addHub(courseSlug);
  const person = (email: string, name: string, username: string) =>
    db.user.create({
      data: { email, name, username, emailVerified: new Date("2026-08-01") },
      select: { id: true },
    });
  const student = await person("student@westvalley.edu", "Sam Student", "sam-student");
  const instructor = await person("prof.rivera@westvalley.edu", "Ana Rivera", "ana-rivera");
  const outsider = await person("prof.okafor@cascade.edu", "Chidi Okafor", "chidi-okafor");
  await db.enrollment.createMany({
    data: [
      { userId: student.id, courseId: course.id, role: "STUDENT" },
      { userId: instructor.id, courseId: course.id, role: "INSTRUCTOR" },
    ],
  });
  return {
    courseSlug,
    hub,
    addHub,
    studentId: student.id,
    instructorId: instructor.id,
    outsiderId: outsider.id,
  };
}
