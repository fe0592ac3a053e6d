import { beforeAll, describe, expect, it } from "vitest";
import type { DatabaseClient } from "@hubfed/db";
import { useTestDatabase } from "@hubfed/db/testing";
import { seedDemoFederation } from "../testing/demo-federation";
import { decideInteractFastPath, interactFastPathCodeOf } from "./fast-path";
import { createInteractCache } from "./interact-cache";

// The click path's decision against a real database: only a signed-in, enrolled student's
// click to a READY hub goes straight to the hub; everything else falls through to Next.
// (Its HTTP side, cookies and headers: apps/portal/src/server/interact-fast-path.int.test.ts.)

const database = useTestDatabase();
let studentId: string;

async function userIdOf(db: DatabaseClient, email: string) {
  return (await db.user.findUniqueOrThrow({ where: { email } })).id;
}

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  studentId = await userIdOf(db, "student@westvalley.edu");
  const course = await db.course.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
  await db.hub.update({
    where: { slug: "wvc-data-101-fa26" },
    data: { status: "READY", url: "https://data101.hubs.example.org" },
  });
  for (const [code, archivedAt] of [
    ["fastlab2", null],
    ["oldlab22", new Date()],
  ] as const)
    await db.contentLink.create({
      data: {
        courseId: course.id,
        code,
        title: code,
        repositoryUrl: "https://github.com/westvalley-data/labs",
        branch: "main",
        path: "lab01/lab01.ipynb",
        interface: "LAB",
        archivedAt,
      },
    });
});

const decide = (code: string, userId: string | null) =>
  decideInteractFastPath(database().db, { code, userId }, { cache: createInteractCache() });

describe("the interact fast path's decision", () => {
  it("sends an enrolled student to nbgitpuller on their hub, naming the click to count", async () => {
    const decision = await decide("fastlab2", studentId);
    if (decision.kind !== "redirect") throw new Error("expected a redirect");
    const location = new URL(decision.location);
    expect(location.origin).toBe("https://data101.hubs.example.org");
    expect(location.pathname).toBe("/hub/user-redirect/git-pull");
    expect(decision.linkId).toBeTruthy();
    expect(decision.enrollmentId).toBeTruthy();
  });

  it.each([
    ["a visitor", "fastlab2", "visitor"],
    ["an archived link", "oldlab22", "student"],
    ["an unknown code", "zzzzzzzz", "student"],
  ])("lets %s fall through to Next", async (_name, code, who) => {
    expect(await decide(code, who === "student" ? studentId : null)).toEqual({
      kind: "fall-through",
    });
  });

  it("takes only GET /i/<code>", () => {
    expect(interactFastPathCodeOf("GET", "/i/fastlab2")).toBe("fastlab2");
    expect(interactFastPathCodeOf("GET", "/i/fastlab2/?utm=x")).toBe("fastlab2");
    expect(interactFastPathCodeOf("POST", "/i/fastlab2")).toBeUndefined();
    expect(interactFastPathCodeOf("GET", "/i/../../ops")).toBeUndefined();
    expect(interactFastPathCodeOf("GET", "/interact?course=wvc-data-101-fa26")).toBeUndefined();
  });

  it("lets a student who is not enrolled, and a hub that is not READY, fall through", async () => {
    const db = database().db;
    expect(await decide("fastlab2", await userIdOf(db, "prof.okafor@cascade.edu"))).toEqual({
      kind: "fall-through",
    });
    await db.hub.update({ where: { slug: "wvc-data-101-fa26" }, data: { status: "DEGRADED" } });
    expect(await decide("fastlab2", studentId)).toEqual({ kind: "fall-through" });
  });
});
