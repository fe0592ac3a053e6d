import { describe, expect, it } from "vitest";
import { forecastBurn } from "./forecast";

const now = new Date("2026-12-05T12:00:00Z");
// Four weeks of $10 a day.
const history = Array.from({ length: 28 }, (_, index) => ({
  day: new Date(Date.UTC(2026, 10, 7 + index)),
  cents: 1_000n,
}));

describe("forecastBurn", () => {
  it("finds the day a balance runs out at the recent rate", () => {
    const forecast = forecastBurn({ history, balanceCents: 5_000n, now });
    expect(forecast.dailyRateCents).toBe(1_000n);
    expect(forecast.exhaustionDate).toEqual(new Date("2026-12-10T00:00:00Z"));
    expect(forecast.runwayDays).toBe(5);
  });

  it("stops at the course's end: a budget that outlasts the course never 'runs out' after it", () => {
    const courseEnd = new Date("2026-12-18T00:00:00Z");
    // $1 000 left at $10 a day would run out in March; the course ends first.
    const forecast = forecastBurn({ history, balanceCents: 100_000n, now, until: courseEnd });
    expect(forecast.exhaustionDate).toBeNull();
    expect(forecast.projection.at(-1)?.day).toEqual(courseEnd);
    expect(forecast.projection).toHaveLength(14);
    // Without the end it would have named a day past it.
    expect(
      forecastBurn({ history, balanceCents: 100_000n, now }).exhaustionDate!.getTime(),
    ).toBeGreaterThan(courseEnd.getTime());
  });

  it("still names a day before the end when the money runs out first", () => {
    const forecast = forecastBurn({
      history,
      balanceCents: 3_000n,
      now,
      until: new Date("2026-12-18T00:00:00Z"),
    });
    expect(forecast.exhaustionDate).toEqual(new Date("2026-12-08T00:00:00Z"));
  });
});
