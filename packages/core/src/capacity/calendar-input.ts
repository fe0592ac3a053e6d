import { z } from "zod";

// What the schedule page sends: wall-clock times in the course's time zone,
// as people type them. Cross-field checks that need the course (its dates,
// its time zone) are in calendar.ts and windows.ts.

const courseSlug = z.string().min(1).max(80);
const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "must be a date and time such as 2026-10-14T10:00");
const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time such as 09:30 (24-hour clock)");

export const meetingInput = z.object({
  label: z.string().trim().min(1, "Give the meeting a name").max(60),
  /** 1 = Monday … 7 = Sunday. */
  dayOfWeek: z.number().int().min(1, "Pick a day").max(7, "Pick a day"),
  startTime: clockTime,
  durationMinutes: z.number().int().min(10, "At least 10 minutes").max(600, "At most 10 hours"),
});

export const saveMeetingsInput = z.object({
  courseSlug,
  meetings: z.array(meetingInput).max(30, "At most 30 weekly meetings"),
});
export type SaveMeetingsInput = z.input<typeof saveMeetingsInput>;

export const importantDateKinds = ["EXAM", "ASSIGNMENT_RELEASE", "DEADLINE", "OTHER"] as const;

export const addImportantDateInput = z.object({
  courseSlug,
  kind: z.enum(importantDateKinds, "Pick a kind"),
  title: z.string().trim().min(1, "Give the date a title").max(120),
  startsAt: localDateTime,
  endsAt: localDateTime.optional(),
});
export type AddImportantDateInput = z.input<typeof addImportantDateInput>;

/** The longest window one request may hold: two weeks (an exam week with make-ups). */
export const maxWindowDays = 14;

export const requestCapacityWindowInput = z.object({
  courseSlug,
  reason: z.string().trim().min(3, "Say what the window is for").max(200),
  startsAt: localDateTime,
  endsAt: localDateTime,
  seats: z.number().int().min(1, "At least 1 seat").max(5_000, "At most 5,000 seats"),
  memoryMibPerSeat: z
    .number()
    .int()
    .min(256, "At least 256 MiB per seat")
    .max(65_536, "At most 64 GiB per seat"),
});
export type RequestCapacityWindowInput = z.input<typeof requestCapacityWindowInput>;

export const decideCapacityWindowInput = z.object({
  windowId: z.string().min(1).max(40),
  decision: z.enum(["APPROVED", "REJECTED"]),
  note: z.string().trim().max(500).optional(),
});
export type DecideCapacityWindowInput = z.input<typeof decideCapacityWindowInput>;

/** "HH:MM" as minutes after midnight. */
export function minutesOfClockTime(value: string): number {
  const [hours = 0, minutes = 0] = value.split(":").map(Number);
  return hours * 60 + minutes;
}
