import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./return-path";

// The `next` values a sign-in or join page may be given: only paths on the
// portal survive, so no answer of the router sends the browser elsewhere.

describe("next values", () => {
  it.each([
    "//evil.example",
    "///evil.example",
    "https://evil.example/i/abc",
    "http://portal.example.evil.example/",
    "https://portal.example@evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "/%252F%252Fevil.example",
    "javascript:alert(1)",
    "https:evil.example",
    "/\t/evil.example",
    "/i/x\r\nLocation: https://evil.example",
    "",
  ])("refuses %j", (value) =>
    expect(safeReturnPath(value, "https://portal.example")).toBeUndefined(),
  );

  it.each([
    ["/i/labone23", "/i/labone23"],
    ["/interact?course=a&repo=b", "/interact?course=a&repo=b"],
    ["https://portal.example/i/x?y=1#frag", "/i/x?y=1"],
  ])("keeps %j as %j", (value, expected) =>
    expect(safeReturnPath(value, "https://portal.example")).toBe(expected),
  );
});
