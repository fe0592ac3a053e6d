import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { demoContentLinks, demoUsers } from "./seed";
import { demoTour, formatDemoTour } from "./tour";

const readme = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../README.md"),
  "utf8",
);

// Every /path and every /i/<code> a tour step names.
const pathsIn = (text: string) => text.match(/\/(?:[a-z0-9-]+\/?)+(?:\.ipynb)?/g) ?? [];

describe("the demo tour", () => {
  it("names only seeded accounts and the seeded link", () => {
    const emails = new Set(demoUsers.map((user) => user.email));
    for (const stop of demoTour) expect(emails.has(stop.email)).toBe(true);
    const text = formatDemoTour("http://localhost:3000").join("\n");
    for (const link of demoContentLinks) {
      expect(text).toContain(`/i/${link.code}`);
      expect(text).toContain(link.title);
    }
  });

  it("is the tour the README gives: same people, same pages", () => {
    const section = readme.slice(readme.indexOf("## A five-minute tour"));
    expect(section.length).toBeGreaterThan(0);
    for (const stop of demoTour) {
      expect(section).toContain(stop.email);
      for (const step of stop.steps)
        for (const page of pathsIn(step))
          expect(section, `README tour names ${page}`).toContain(page);
    }
  });
});
