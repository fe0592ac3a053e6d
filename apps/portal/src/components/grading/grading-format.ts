// How the autograder's pages word dates, policies and statuses: one place, so the
// assignment list, the assignment page, the gradebook and a submission all agree.

export type SubmissionStatusName = "QUEUED" | "GRADING" | "GRADED" | "FAILED" | "TIMED_OUT";
export type LatePolicyName = "NONE" | "PENALTY_PER_DAY" | "HARD_CUTOFF";
export type HiddenResultsName = "IMMEDIATELY" | "AFTER_DUE" | "NEVER";

/** "Thu, Dec 10, 2026, 23:59 PST" in `timeZone` (the viewer's when undefined). */
export function formatWhen(instant: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).format(instant);
}

const dayMs = 24 * 60 * 60 * 1000;
const hourMs = 60 * 60 * 1000;

/** "due in 3 days", "due in 5 hours", "closed 2 days ago": how far the due date is from `now`. */
export function dueWording(dueAt: Date, now: Date = new Date()): string {
  const ms = dueAt.getTime() - now.getTime();
  const span = (value: number) => {
    const abs = Math.abs(value);
    if (abs >= 2 * dayMs) return `${Math.floor(abs / dayMs)} days`;
    if (abs >= dayMs) return "1 day";
    if (abs >= 2 * hourMs) return `${Math.floor(abs / hourMs)} hours`;
    if (abs >= hourMs) return "1 hour";
    return `${Math.max(1, Math.floor(abs / 60_000))} minutes`;
  };
  return ms > 0 ? `due in ${span(ms)}` : `closed ${span(ms)} ago`;
}

export const submissionStatusLabels: Record<SubmissionStatusName, string> = {
  QUEUED: "Waiting to be graded",
  GRADING: "Grading…",
  GRADED: "Graded",
  FAILED: "Grading failed",
  TIMED_OUT: "Timed out",
};

/** The gradebook's short words for a cell without a score. */
export const submissionStatusShort: Record<SubmissionStatusName, string> = {
  QUEUED: "grading",
  GRADING: "grading",
  GRADED: "graded",
  FAILED: "failed",
  TIMED_OUT: "timed out",
};

export const submissionStatusTones: Record<SubmissionStatusName, string> = {
  QUEUED: "bg-blue-100 text-blue-800",
  GRADING: "bg-blue-100 text-blue-800",
  GRADED: "bg-green-100 text-green-800",
  FAILED: "bg-red-100 text-red-800",
  TIMED_OUT: "bg-amber-100 text-amber-900",
};

export function isPending(status: SubmissionStatusName): boolean {
  return status === "QUEUED" || status === "GRADING";
}

export const assignmentStateLabels = {
  draft: "Draft",
  published: "Published",
  archived: "Archived",
} as const;

export const assignmentStateTones = {
  draft: "bg-slate-100 text-slate-700",
  published: "bg-green-100 text-green-800",
  archived: "bg-slate-200 text-slate-600",
} as const;

/** The late policy in plain words, for students and staff alike. */
export function latePolicyWording(policy: LatePolicyName, percentPerDay: number | null): string {
  switch (policy) {
    case "NONE":
      return "Late work is accepted without a penalty.";
    case "HARD_CUTOFF":
      return "Late work is not accepted: submissions close at the due date.";
    case "PENALTY_PER_DAY":
      return `Late work loses ${percentPerDay ?? 0} % of its score per day late (each started day counts).`;
  }
}

export function attemptsWording(attemptsAllowed: number | null): string {
  if (attemptsAllowed === null)
    return "You may submit as many times as you like; your latest submission counts.";
  if (attemptsAllowed === 1) return "You may submit once.";
  return `You may submit up to ${attemptsAllowed} times; your latest submission counts.`;
}

export const hiddenResultsOptions: Array<{
  value: HiddenResultsName;
  label: string;
  explanation: string;
}> = [
  {
    value: "IMMEDIATELY",
    label: "Immediately",
    explanation: "Students see every test's result and their score as soon as it is graded.",
  },
  {
    value: "AFTER_DUE",
    label: "After the deadline",
    explanation:
      "Public tests at once; hidden tests and the full score once the assignment is due.",
  },
  {
    value: "NEVER",
    label: "Never",
    explanation: "Students only ever see the public tests; you see everything in the gradebook.",
  },
];

export const latePolicyOptions: Array<{
  value: LatePolicyName;
  label: string;
  explanation: string;
}> = [
  { value: "NONE", label: "Accept late work", explanation: "No penalty; lateness is recorded." },
  {
    value: "PENALTY_PER_DAY",
    label: "Penalty per day late",
    explanation: "A percentage off the score for each started day late.",
  },
  {
    value: "HARD_CUTOFF",
    label: "Hard cutoff",
    explanation: "Submissions are refused after the due date.",
  },
];

/** A score to two decimals at most: 8, 8.5, 8.25. */
export function formatScore(value: number): string {
  return String(Math.round(value * 100) / 100);
}
