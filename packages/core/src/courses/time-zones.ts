// Wall-clock times in a course's time zone, as instants. Course schedules and
// important dates are typed as local times ("2026-10-14T10:00") in the course's zone.

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`. */
function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  const wallClockAsUtc = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wallClockAsUtc - instant.getTime();
}

/** A wall-clock time in the course's zone ("2026-10-14T10:00") as an instant. */
export function localDateTimeToUtc(value: string, timeZone: string): Date {
  const wallClockAsUtc = new Date(`${value}:00Z`);
  // The offset is the zone's at the instant we are looking for, not at the wall-clock
  // time read as UTC: those two straddle a daylight-saving change for a few hours each
  // year. A second pass at the first guess gives the offset in force at the answer.
  const firstGuess = new Date(wallClockAsUtc.getTime() - zoneOffsetMs(wallClockAsUtc, timeZone));
  return new Date(wallClockAsUtc.getTime() - zoneOffsetMs(firstGuess, timeZone));
}

/** An instant as the wall-clock time of `timeZone` ("2026-10-14T10:00"): what a form shows. */
export function utcToLocalDateTime(instant: Date, timeZone: string): string {
  const local = new Date(instant.getTime() + zoneOffsetMs(instant, timeZone));
  return local.toISOString().slice(0, 16);
}
