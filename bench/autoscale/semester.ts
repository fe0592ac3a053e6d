// The synthetic semester (after REFERENCE §4's model, in our own words): three
// course archetypes on one cluster, and every student arrival they produce.
// A — a large lecture (300–1 300) with a live demo, lab sections, a midterm;
// B — in-class coding (≈300, everyone at once); C — small courses (20–40).
// Times are seconds from the first Monday 00:00 local; the simulated weeks lie
// inside daylight saving time, so local time is UTC−7 throughout.
import type {
  HubDemand,
  PlannedDate,
  PlannedMeeting,
  PlannedWindow,
} from "../../packages/core/src/capacity/plan-types";
import { binomial, lognormal, normal, poisson, seededRandom, uniform, type Random } from "./random";

export const semesterStart = "2026-09-14"; // a Monday
export const utcOffsetHours = -7; // America/Los_Angeles in September and October
export const minute = 60;
export const hour = 3600;
export const day = 86_400;
export const memoryGuaranteeMib = 512;
export const examMemoryMib = 1024; // exams double the guarantee

export type ArrivalKind =
  "class-start" | "post-lecture" | "lab" | "background" | "deadline" | "exam";

export interface Arrival {
  at: number;
  hub: number;
  student: number;
  kind: ArrivalKind;
  memoryMib: number;
  activeSeconds: number;
  /** After the active time the server idles until the culler stops it (80 % of sessions), or stops. */
  idleSeconds: number;
  podStartSeconds: number;
}

interface Course {
  slug: string;
  enrollment: number;
  /** What the request would state as the most students at once. */
  statedConcurrency: number;
  classStartShare: number;
  postLectureShare: number;
  /** [ISO weekday, start minute, duration minutes] */
  meetings: Array<[number, number, number]>;
  /** Weekly deadline: [ISO weekday, minute]. */
  deadline: [number, number];
  labSections: boolean;
  /** Day index (from the start) and minute of a midterm, replacing that day's meeting. */
  exam?: [number, number];
}

export interface Semester {
  weeks: number;
  courses: Course[];
  arrivals: Arrival[];
}

// Sessions per student per hour of the local day (relative), for background use.
const diurnal = [
  0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.2, 0.4, 0.7, 1, 1.2, 1.3, 1.3, 1.4, 1.4, 1.4, 1.3, 1.2, 1.2,
  1.4, 1.6, 1.6, 1.2, 0.6,
];
const diurnalSum = diurnal.reduce((sum, weight) => sum + weight, 0);
const backgroundSessionsPerWeek = 2.5;
/** The deadline surge's height: λ = λ_bg · (1 + A·e^(−(D−t)/12 h)) over the last 72 h. */
const deadlineAmplitude = 5;

function courses(random: Random): Course[] {
  const lecture = Math.round(uniform(random, 300, 1300));
  const coding = () => Math.round(300 + 15 * normal(random));
  const small = () => Math.round(uniform(random, 20, 40));
  return [
    {
      slug: "lecture-a",
      enrollment: lecture,
      statedConcurrency: Math.ceil(lecture / 2),
      classStartShare: uniform(random, 0.3, 0.5),
      postLectureShare: uniform(random, 0.3, 0.6),
      meetings: [
        [1, 600, 50],
        [3, 600, 50],
        [5, 600, 50],
      ],
      deadline: [5, 23 * 60 + 59],
      labSections: true,
      exam: [9, 600],
    },
    ...[
      [
        [2, 600, 80],
        [4, 600, 80],
      ],
      [
        [1, 780, 80],
        [3, 780, 80],
      ],
    ].map((meetings, index): Course => {
      const enrollment = coding();
      return {
        slug: `coding-b${index + 1}`,
        enrollment,
        statedConcurrency: enrollment,
        classStartShare: uniform(random, 0.85, 1),
        postLectureShare: 0,
        meetings: meetings as Course["meetings"],
        deadline: [index === 0 ? 1 : 3, 23 * 60 + 59],
        labSections: false,
      };
    }),
    ...[
      [
        [1, 840, 75],
        [3, 840, 75],
      ],
      [
        [2, 540, 75],
        [4, 540, 75],
      ],
      [[5, 780, 110]],
    ].map((meetings, index): Course => {
      const enrollment = small();
      return {
        slug: `small-c${index + 1}`,
        enrollment,
        statedConcurrency: enrollment,
        classStartShare: uniform(random, 0.85, 1),
        postLectureShare: 0,
        meetings: meetings as Course["meetings"],
        deadline: [7, 23 * 60 + 59],
        labSections: false,
      };
    }),
  ];
}

/** Every arrival of the simulated weeks, in time order. */
export function syntheticSemester(seed: number, weeks: number): Semester {
  const random = seededRandom(seed);
  const list = courses(random);
  const arrivals: Arrival[] = [];
  const session = (
    at: number,
    hub: number,
    student: number,
    kind: ArrivalKind,
    memoryMib = memoryGuaranteeMib,
    active?: number,
  ) => {
    const activeSeconds = active ?? lognormal(random, 40, 120) * minute;
    const idleSeconds = random() < 0.8 ? hour + uniform(random, 0, 10 * minute) : 0;
    arrivals.push({
      at,
      hub,
      student,
      kind,
      memoryMib,
      activeSeconds,
      idleSeconds,
      podStartSeconds: uniform(random, 5, 15),
    });
  };
  const end = weeks * 7 * day;
  list.forEach((course, hub) => {
    const n = course.enrollment;
    const student = () => Math.floor(random() * n);
    for (let dayIndex = 0; dayIndex < weeks * 7; dayIndex += 1) {
      const weekday = (dayIndex % 7) + 1;
      const midnight = dayIndex * day;
      if (course.exam?.[0] === dayIndex) {
        // Everyone within ten minutes, with twice the memory, for the exam's length.
        const start = midnight + course.exam[1] * minute;
        for (let s = 0; s < n; s += 1)
          session(
            start + uniform(random, 0, 10 * minute),
            hub,
            s,
            "exam",
            examMemoryMib,
            50 * minute,
          );
        continue;
      }
      for (const [meetingDay, startMinute, duration] of course.meetings) {
        if (meetingDay !== weekday) continue;
        const start = midnight + startMinute * minute;
        for (let s = 0; s < n; s += 1)
          if (random() < course.classStartShare)
            session(start + (1 + 3 * normal(random)) * minute, hub, s, "class-start");
        const after = binomial(random, n, course.postLectureShare);
        for (let k = 0; k < after; k += 1)
          session(
            start + duration * minute + uniform(random, 0, 10 * minute),
            hub,
            student(),
            "post-lecture",
          );
      }
      // Lab sections of 30 on Tuesdays and Thursdays, five slots a day from 8:00.
      if (course.labSections && (weekday === 2 || weekday === 4)) {
        const sections = Math.ceil(n / 30);
        for (let section = 0; section < sections; section += 1) {
          if ((section % 2 === 0) !== (weekday === 2)) continue;
          const start = midnight + (8 + 2 * (Math.floor(section / 2) % 5)) * hour;
          for (let k = 0; k < 30; k += 1)
            if (random() < 0.9)
              session(start + uniform(random, 0, 10 * minute), hub, (section * 30 + k) % n, "lab");
        }
      }
    }
    // Background sessions hour by hour, and the deadline surge on top of them.
    const deadlines = Array.from(
      { length: weeks + 1 },
      (_, week) => week * 7 * day + (course.deadline[0] - 1) * day + course.deadline[1] * minute,
    );
    for (let at = 0; at < end; at += hour) {
      const base = (n * backgroundSessionsPerWeek * diurnal[(at / hour) % 24]!) / (7 * diurnalSum);
      const next = deadlines.find((deadline) => deadline > at + hour / 2);
      const toDeadline = next === undefined ? Infinity : next - (at + hour / 2);
      const surge =
        toDeadline <= 72 * hour ? deadlineAmplitude * Math.exp(-toDeadline / (12 * hour)) : 0;
      for (let k = poisson(random, base); k > 0; k -= 1)
        session(at + random() * hour, hub, student(), "background");
      for (let k = poisson(random, base * surge); k > 0; k -= 1)
        session(at + random() * hour, hub, student(), "deadline");
    }
  });
  arrivals.sort((a, b) => a.at - b.at);
  return {
    weeks,
    courses: list,
    arrivals: arrivals.filter((arrival) => arrival.at >= 0 && arrival.at < end),
  };
}

/** Simulation seconds → the UTC instant, and back. */
export const instantOf = (seconds: number) =>
  new Date(Date.parse(`${semesterStart}T00:00:00Z`) + (seconds - utcOffsetHours * hour) * 1000);
export const secondsOf = (instant: Date) =>
  (instant.getTime() - Date.parse(`${semesterStart}T00:00:00Z`)) / 1000 + utcOffsetHours * hour;

/** The calendar the planner reads: what each course's request and schedule page would hold. */
export function hubDemands(semester: Semester): HubDemand[] {
  const endDate = new Date(
    Date.parse(`${semesterStart}T00:00:00Z`) + (semester.weeks * 7 - 1) * day * 1000,
  )
    .toISOString()
    .slice(0, 10);
  return semester.courses.map((course, index) => {
    const meetings: PlannedMeeting[] = course.meetings.map(
      ([dayOfWeek, startMinute, durationMinutes]) => ({
        label: course.slug,
        dayOfWeek,
        startMinute,
        durationMinutes,
      }),
    );
    const importantDates: PlannedDate[] = Array.from({ length: semester.weeks }, (_, week) => ({
      kind: "DEADLINE",
      title: `week ${week + 1}`,
      startsAt: instantOf(
        week * 7 * day + (course.deadline[0] - 1) * day + course.deadline[1] * minute,
      ),
      endsAt: null,
    }));
    const capacityWindows: PlannedWindow[] = [];
    if (course.exam) {
      const startsAt = instantOf(course.exam[0] * day + course.exam[1] * minute);
      importantDates.push({ kind: "EXAM", title: "midterm", startsAt, endsAt: null });
      // The instructor's window: everyone, at the exam's doubled memory, through the rush.
      capacityWindows.push({
        id: "midterm",
        startsAt,
        endsAt: new Date(startsAt.getTime() + 15 * minute * 1000),
        seats: course.enrollment,
        memoryMibPerSeat: examMemoryMib,
        reason: "midterm",
      });
    }
    return {
      hubId: `hub-${index}`,
      hubSlug: course.slug,
      clusterId: "bench",
      timeZone: "America/Los_Angeles",
      startDate: semesterStart,
      endDate,
      enrollment: course.enrollment,
      expectedConcurrentUsers: course.statedConcurrency,
      memoryGuaranteeMib,
      meetings,
      importantDates,
      capacityWindows,
    };
  });
}
