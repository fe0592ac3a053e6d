import type { Course, ImportantDateKind, Institution, Transaction } from "@hubfed/db";
import { slugify, uniqueSlug } from "../slugs";
import { localDateTimeToUtc } from "./time-zones";

/**
 * What a new course is made of. An approved request's form has this shape
 * (requests/form.ts validates it); courses sit below requests, so the shape
 * is stated here and the compiler checks the form against it at the call.
 */
export interface CourseDetails {
  course: {
    code: string;
    title: string;
    term: string;
    /** Calendar dates, YYYY-MM-DD. */
    startDate: string;
    endDate: string;
    timezone: string;
    lmsCourseId?: string | undefined;
  };
  audience: { expectedEnrollment: number; expectedConcurrentUsers: number };
  schedule: {
    /** `startTime` is "HH:MM" in the course's zone; `dayOfWeek` 1 = Monday … 7 = Sunday. */
    meetings: ReadonlyArray<{
      label: string;
      dayOfWeek: number;
      startTime: string;
      durationMinutes: number;
    }>;
    /** Local date-times ("2026-10-14T10:00") in the course's zone. */
    importantDates: ReadonlyArray<{
      kind: ImportantDateKind;
      title: string;
      startsAt: string;
      endsAt?: string | undefined;
    }>;
  };
  /** The content repositories ops approved for the course's links. */
  environment: { contentSources?: string[] | undefined };
}

/** "Fall 2026" → "fa26", for course slugs; anything else is slugified as it is. */
function termAbbreviation(term: string): string {
  const match = /^(spring|summer|fall|autumn|winter)\s+(\d{4})$/i.exec(term.trim());
  if (!match?.[1] || !match[2]) return slugify(term);
  const season =
    { spring: "sp", summer: "su", fall: "fa", autumn: "fa", winter: "wi" }[
      match[1].toLowerCase()
    ] ?? "";
  return `${season}${match[2].slice(2)}`;
}

/**
 * A course's slug, which its hub's slug shares (a namespace and a host name
 * are made of it), so it must be free among courses and hubs alike.
 */
async function chooseCourseSlug(
  tx: Transaction,
  institution: Pick<Institution, "slug">,
  course: CourseDetails["course"],
): Promise<string> {
  return uniqueSlug(
    async (candidate) =>
      (await tx.course.count({ where: { slug: candidate } })) +
        (await tx.hub.count({ where: { slug: candidate } })) >
      0,
    slugify(`${institution.slug.slice(0, 12)}-${course.code}-${termAbbreviation(course.term)}`),
  );
}

/**
 * The course an approved request describes: its schedule and important dates
 * (typed in the course's time zone), the content repositories ops approved,
 * and the requester enrolled as its instructor.
 */
export async function createCourseFromRequest(
  tx: Transaction,
  {
    institution,
    form,
    instructorUserId,
  }: { institution: Institution; form: CourseDetails; instructorUserId: string },
): Promise<Course> {
  const course = await tx.course.create({
    data: {
      slug: await chooseCourseSlug(tx, institution, form.course),
      institutionId: institution.id,
      code: form.course.code,
      title: form.course.title,
      term: form.course.term,
      startDate: new Date(`${form.course.startDate}T00:00:00Z`),
      endDate: new Date(`${form.course.endDate}T00:00:00Z`),
      timezone: form.course.timezone,
      expectedEnrollment: form.audience.expectedEnrollment,
      expectedConcurrentUsers: form.audience.expectedConcurrentUsers,
      lmsCourseId: form.course.lmsCourseId || null,
      // What the requester named, as ops approved it; instructors edit it on the Links page.
      contentRepositoryAllowList: form.environment.contentSources ?? [],
      meetings: {
        create: form.schedule.meetings.map((meeting) => {
          const [hours, minutes] = meeting.startTime.split(":").map(Number);
          return {
            label: meeting.label,
            dayOfWeek: meeting.dayOfWeek,
            startMinute: (hours ?? 0) * 60 + (minutes ?? 0),
            durationMinutes: meeting.durationMinutes,
          };
        }),
      },
      importantDates: {
        create: form.schedule.importantDates.map((date) => ({
          kind: date.kind,
          title: date.title,
          startsAt: localDateTimeToUtc(date.startsAt, form.course.timezone),
          endsAt: date.endsAt ? localDateTimeToUtc(date.endsAt, form.course.timezone) : null,
        })),
      },
    },
  });
  await tx.enrollment.create({
    data: { userId: instructorUserId, courseId: course.id, role: "INSTRUCTOR" },
  });
  return course;
}
