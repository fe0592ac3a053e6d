import { describe, expect, it } from "vitest";
import { sameOriginPath } from "./return-target";
import { hostileReturnTargetsFor } from "./testing/hostile-return-targets";

// The class of hole: an open redirect through a caller-supplied return target,
// including one that only becomes another origin once the URL is normalised.
// Every redirect to a caller-supplied value goes through sameOriginPath.

const origin = "https://portal.example";

describe("open redirect through a return target, after normalisation", () => {
  it.each([
    ...hostileReturnTargetsFor(origin),
    "https://portal.example//evil.example/x",
    "http://portal.example/x",
    "http://portal.example.evil.example/",
    "ftp://portal.example/",
    "",
  ])("refuses %j", (value) => expect(sameOriginPath(value, origin)).toBeUndefined());

  it.each([
    ["/i/labone23", "/i/labone23"],
    ["/interact?course=a&repo=b", "/interact?course=a&repo=b"],
    ["https://portal.example/i/x?y=1#frag", "/i/x?y=1#frag"],
    ["/courses/./data-101/../data-101", "/courses/data-101"],
  ])("keeps %j as %j", (value, expected) => expect(sameOriginPath(value, origin)).toBe(expected));
});
