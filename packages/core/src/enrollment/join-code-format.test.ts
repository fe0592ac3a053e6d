import { describe, expect, it } from "vitest";
import { generateJoinCode, normalizeJoinCode } from "./join-code-format";

describe("join codes", () => {
  it("are two groups of five from an alphabet without look-alikes", () => {
    const codes = new Set(Array.from({ length: 1000 }, () => generateJoinCode()));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}$/);
  });

  it("are found whatever case, spaces and dashes were typed", () => {
    expect(normalizeJoinCode(" abcde fghjk ")).toBe("ABCDE-FGHJK");
    expect(normalizeJoinCode("ABCDEFGHJK")).toBe("ABCDE-FGHJK");
    expect(normalizeJoinCode("ABCDE-FGHJ0")).toBeUndefined();
    expect(normalizeJoinCode("'; DROP TABLE")).toBeUndefined();
  });
});
