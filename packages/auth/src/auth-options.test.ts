import { describe, expect, it } from "vitest";
import { safeRedirectTarget } from "./auth-options";

const base = "https://portal.example.org";

describe("safeRedirectTarget", () => {
  it.each([
    ["/courses/data-101", "https://portal.example.org/courses/data-101"],
    ["/i/abc?x=1#top", "https://portal.example.org/i/abc?x=1#top"],
    ["https://portal.example.org/ops", "https://portal.example.org/ops"],
  ])("keeps %s on our origin as %s", (requested, expected) => {
    expect(safeRedirectTarget(requested, base)).toBe(expected);
  });

  it.each([
    "//evil.example/",
    "///evil.example",
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "http://portal.example.org/x",
    "/ok\r\nLocation: x",
    "ftp://portal.example.org/",
    // Paths that only become another origin once normalised.
    "/.//evil.example/",
    "https://portal.example.org//evil.example/x",
  ])("refuses %s", (requested) => {
    expect(safeRedirectTarget(requested, base)).toBe(base);
  });
});
