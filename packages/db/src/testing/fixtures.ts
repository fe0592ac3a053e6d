import type { DatabaseClient } from "../index";

/**
 * A course with plain, valid settings (Fall 2026, 10 students) for tests that need a course to
 * exist but test nothing about it.
 */
export function createTestCourse(
  db: DatabaseClient,
  { slug, institutionId }: { slug: string; institutionId: string },
) {
  return db.course.create({
    data: {
      slug,
      institutionId,
      code: slug.toUpperCase(),
      title: `Course ${slug}`,
      term: "Fall 2026",
      startDate: new Date("2026-09-01"),
      endDate: new Date("2026-12-15"),
      timezone: "UTC",
      expectedEnrollment: 10,
      expectedConcurrentUsers: 5,
    },
  });
}
