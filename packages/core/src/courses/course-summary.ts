import type { Prisma } from "@hubfed/db";

/** How a course is named wherever people pick or recognise it: code, title, term and institution. */
export const courseSummarySelect = {
  slug: true,
  code: true,
  title: true,
  term: true,
  institution: { select: { name: true } },
} as const satisfies Prisma.CourseSelect;
