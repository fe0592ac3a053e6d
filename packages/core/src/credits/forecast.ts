// Burn-rate forecast (SPEC §6): the recent daily burn with its weekly pattern,
// projected forward until the balance runs out. Pure: callers pass the days.

export interface DailyBurn {
  /** UTC midnight of the day. */
  day: Date;
  cents: bigint;
}

export interface BurnForecast {
  /** Average cents per day over the window. */
  dailyRateCents: bigint;
  /** Average cents per weekday (0 = Sunday … 6 = Saturday) over the window. */
  weekdayRateCents: bigint[];
  /** The first day the projected cumulative burn exceeds the balance; null when nothing burns. */
  exhaustionDate: Date | null;
  runwayDays: number | null;
  /** Day-by-day projection from tomorrow, for charts: cumulative cents burned from now. */
  projection: Array<{ day: Date; cumulativeCents: bigint }>;
}

const dayMs = 86_400_000;

export function startOfUtcDay(date: Date): Date {
  return new Date(Math.floor(date.getTime() / dayMs) * dayMs);
}

/**
 * Forecasts from the last `windowDays` days of burn (missing days count as
 * zero). Each future day burns its weekday's average, so a course that is
 * busy on lecture days and quiet at weekends is projected that way.
 */
export function forecastBurn({
  history,
  balanceCents,
  now,
  windowDays = 28,
  horizonDays = 400,
  until,
}: {
  history: readonly DailyBurn[];
  balanceCents: bigint;
  now: Date;
  windowDays?: number;
  horizonDays?: number;
  /**
   * The last day anything burns (a course's end, a pool's expiry): the
   * projection stops there, so a course ending in December is never said to
   * run out of budget in February.
   */
  until?: Date;
}): BurnForecast {
  const today = startOfUtcDay(now).getTime();
  if (until) {
    const daysLeft = Math.floor((startOfUtcDay(until).getTime() - today) / dayMs) + 1;
    horizonDays = Math.max(0, Math.min(horizonDays, daysLeft));
  }
  const windowStart = today - windowDays * dayMs;
  const totals = Array.from({ length: 7 }, () => 0n);
  const counts = Array.from({ length: 7 }, () => 0n);
  for (let day = windowStart; day < today; day += dayMs) counts[new Date(day).getUTCDay()]! += 1n;
  let windowTotal = 0n;
  for (const entry of history) {
    const time = startOfUtcDay(entry.day).getTime();
    if (time < windowStart || time >= today) continue;
    totals[new Date(time).getUTCDay()]! += entry.cents;
    windowTotal += entry.cents;
  }
  const weekdayRateCents = totals.map((total, weekday) =>
    counts[weekday]! > 0n ? total / counts[weekday]! : 0n,
  );
  const dailyRateCents = windowTotal / BigInt(windowDays);

  const projection: BurnForecast["projection"] = [];
  let cumulative = 0n;
  let exhaustionDate: Date | null = null;
  let runwayDays: number | null = null;
  const isBurning = weekdayRateCents.some((rate) => rate > 0n);
  for (let offset = 0; offset < horizonDays && isBurning; offset += 1) {
    const day = new Date(today + offset * dayMs);
    cumulative += weekdayRateCents[day.getUTCDay()]!;
    projection.push({ day, cumulativeCents: cumulative });
    if (exhaustionDate === null && cumulative > balanceCents) {
      exhaustionDate = day;
      runwayDays = offset;
    }
  }
  return { dailyRateCents, weekdayRateCents, exhaustionDate, runwayDays, projection };
}
