// Times on the schedule page, always in the course's own time zone.

/** An instant as the course's wall clock reads it: "Tue, Oct 14, 10:00". */
export function formatInZone(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(instant);
}

/** The end of a span: only the time when it ends on the day it starts. */
export function formatSpanInZone(from: Date, to: Date | null, timeZone: string): string {
  if (!to) return formatInZone(from, timeZone);
  const day = (instant: Date) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(instant);
  const end =
    day(from) === day(to)
      ? new Intl.DateTimeFormat("en-US", {
          timeZone,
          hour: "2-digit",
          minute: "2-digit",
          hourCycle: "h23",
        }).format(to)
      : formatInZone(to, timeZone);
  return `${formatInZone(from, timeZone)}–${end}`;
}

/** Minutes after midnight as "HH:MM". */
export function clockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

export function formatMemory(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}

export const importantDateKindLabels = {
  EXAM: "Exam",
  ASSIGNMENT_RELEASE: "Assignment release",
  DEADLINE: "Deadline",
  OTHER: "Other",
} as const;

export const windowStatusLabels = {
  PENDING: "Waiting for ops",
  APPROVED: "Approved",
  REJECTED: "Rejected",
} as const;
