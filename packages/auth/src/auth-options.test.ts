import { describe, expect, it } from "vitest";
import { createAuthOptions, safeRedirectTarget } from "./auth-options";
import { hostileReturnTargetsFor } from "./testing/hostile-return-targets";

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
    ...hostileReturnTargetsFor(base),
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

describe("open redirect through next-auth's callbackUrl", () => {
  // The callback next-auth calls with the browser's callbackUrl after every sign-in and sign-out.
  const redirect = createAuthOptions({ db: {} as never, secret: "s".repeat(32) }).callbacks
    ?.redirect;

  it.each(hostileReturnTargetsFor(base))("keeps %j on the portal", async (requested) => {
    if (!redirect) throw new Error("no redirect callback");
    const target = new URL(await redirect({ url: requested, baseUrl: base }));
    expect(target.origin).toBe(base);
    expect(target.pathname.startsWith("//")).toBe(false);
  });
});
