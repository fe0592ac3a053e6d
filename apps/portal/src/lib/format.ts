// The formatters are made once: Date#toLocaleString and new Intl.*Format build one on every
// call (~130 µs each here, against ~6 µs to format with a kept one), and a page of 20 hub cards
// formats 40 dates (docs/benchmarks.md, "My hubs"). Same output: toLocaleString is specified as
// a DateTimeFormat with the same locale and options.
const centsFormats = new Map<string, Intl.NumberFormat>();
const dateFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});
const dateTimeFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** Money from integer cents, e.g. 76050n → "$760.50". */
export function formatCents(cents: bigint | number, currency = "USD"): string {
  let format = centsFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { style: "currency", currency });
    centsFormats.set(currency, format);
  }
  return format.format(Number(cents) / 100);
}

export function formatDate(date: Date | string | null | undefined): string {
  if (!date) return "—";
  return dateFormat.format(typeof date === "string" ? new Date(date) : date);
}

export function formatDateTime(date: Date): string {
  return dateTimeFormat.format(date);
}

const statusLabels: Record<string, string> = {
  DRAFT: "Draft",
  SUBMITTED: "Submitted",
  CHANGES_REQUESTED: "Changes requested",
  APPROVED: "Approved",
  REJECTED: "Declined",
  WITHDRAWN: "Withdrawn",
};

export function requestStatusLabel(status: string): string {
  return statusLabels[status] ?? status;
}

/** ISO weekday names: index 0 is Monday (dayOfWeek 1), as meetings store them. */
export const weekdayNames = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

/** "just now", "12 min ago", "5 h ago", "3 days ago": how long before `now` a moment was. */
export function formatAgo(date: Date | null | undefined, now: Date = new Date()): string {
  if (!date) return "never";
  const minutes = Math.floor((now.getTime() - date.getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
