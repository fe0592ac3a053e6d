import { describe, expect, it } from "vitest";
import { formatCents, formatDate, formatDateTime } from "./format";

// The formatters are kept between calls; what they write must be what the one-off
// toLocaleString calls they replaced wrote.

const instants = [
  new Date("2026-12-06T13:03:00Z"),
  new Date("2026-01-01T00:00:00Z"),
  new Date("2027-07-31T23:59:59Z"),
];

describe("formatting for pages", () => {
  it("writes dates and times as toLocaleString does", () => {
    for (const instant of instants) {
      expect(formatDateTime(instant)).toBe(
        instant.toLocaleString("en-US", {
          year: "numeric",
          month: "short",
          day: "numeric",
          hour: "2-digit",
          minute: "2-digit",
        }),
      );
      expect(formatDate(instant)).toBe(
        instant.toLocaleDateString("en-US", {
          year: "numeric",
          month: "short",
          day: "numeric",
          timeZone: "UTC",
        }),
      );
    }
    expect(formatDate("2026-12-06T23:30:00Z")).toBe("Dec 6, 2026");
    expect(formatDate(null)).toBe("—");
  });

  it("writes money from cents in each currency asked for", () => {
    expect(formatCents(76050n)).toBe("$760.50");
    expect(formatCents(5, "USD")).toBe("$0.05");
    expect(formatCents(123456, "EUR")).toBe("€1,234.56");
    expect(formatCents(100)).toBe("$1.00");
    expect(() => formatCents(1, "not a currency")).toThrow(RangeError);
  });
});
