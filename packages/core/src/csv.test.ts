import { describe, expect, it } from "vitest";
import { csvNumber, renderCsv } from "./csv";

describe("formula injection: CSV text cannot become a formula, and numbers stay numbers", () => {
  it("defuses text that a spreadsheet would run", () => {
    expect(renderCsv([["=1+1", "+cmd", "-2+3", "@SUM(A1)", "plain"]])).toBe(
      "'=1+1,'+cmd,'-2+3,'@SUM(A1),plain\n",
    );
  });

  it("writes negative amounts as negative numbers, not as text", () => {
    expect(renderCsv([[csvNumber("-12.50"), csvNumber(-3), csvNumber(7n), "-12.50"]])).toBe(
      "-12.50,-3,7,'-12.50\n",
    );
  });

  it("refuses to write anything but a plain decimal as a number", () => {
    for (const notANumber of ["=1+1", "-1+2", "1e3", "", " 1", "NaN"])
      expect(() => csvNumber(notANumber)).toThrow();
  });
});
