import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInteractCache } from "@hubfed/core";
import { seedDemoFederation } from "@hubfed/core/testing";
import type { DatabaseClient } from "@hubfed/db";
import { useTestDatabase } from "@hubfed/db/testing";
import { createPortalSessionReader } from "@hubfed/identity/portal-session";
import { createInteractFastPath } from "./interact-fast-path";

// The click path beside Next over real HTTP, with real next-auth session cookies: it answers
// only a signed-in, enrolled student's redirect to a READY hub, and hands everything else on.
// (The decision itself is tested in packages/core/src/links/fast-path.int.test.ts.)

const database = useTestDatabase();
const nextAuthSecret = "a-test-nextauth-secret-of-at-least-32-characters";
let server: Server;
let origin: string;
const clicks: Array<{ linkId: string | null; enrollmentId: string }> = [];
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
  await db.contentLink.create({
    data: {
      courseId: course.id,
      code: "fastlab2",
      title: "fastlab2",
      repositoryUrl: "https://github.com/westvalley-data/labs",
      branch: "main",
      path: "lab01/lab01.ipynb",
      interface: "LAB",
    },
  });
  const fastPath = createInteractFastPath({
    db,
    cache: createInteractCache(),
    clicks: { recordClick: (click) => clicks.push(click), flush: () => Promise.resolve() },
    readPortalSession: createPortalSessionReader({
      secret: nextAuthSecret,
      portalUrl: "http://127.0.0.1:3000",
    }),
  });
  server = createServer((request, response) => {
    void fastPath.handle(request, response).then((handled) => {
      if (!handled) response.writeHead(299).end("next");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A request as a browser signed in to the portal as `userId` sends it. */
async function get(path: string, userId?: string, method = "GET") {
  const session = userId
    ? `; next-auth.session-token=${await encode({ token: { userId }, secret: nextAuthSecret })}`
    : "";
  return fetch(`${origin}${path}`, {
    method,
    redirect: "manual",
    headers: { cookie: `theme=dark${session}` },
  });
}

describe("the interact fast path over HTTP", () => {
  it("redirects an enrolled student to their hub, uncached, and counts the click", async () => {
    const response = await get("/i/fastlab2", studentId);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.origin).toBe("https://data101.hubs.example.org");
    expect(location.pathname).toBe("/hub/user-redirect/git-pull");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(clicks).toHaveLength(1);
    expect(clicks[0]?.linkId).toBeTruthy();
  });

  it.each([
    ["a visitor", "/i/fastlab2", undefined, "GET"],
    ["a POST", "/i/fastlab2", "student", "POST"],
    ["an unknown code", "/i/zzzzzzzz", "student", "GET"],
    ["a path that is not a code", "/i/../../ops", "student", "GET"],
    ["another route", "/interact?course=wvc-data-101-fa26", "student", "GET"],
  ])("hands %s on to Next", async (_name, path, who, method) => {
    const response = await get(path, who === "student" ? studentId : undefined, method);
    expect(response.status).toBe(299);
  });

  it("hands on a session cookie it cannot open and a student who is not enrolled", async () => {
    const forged = await fetch(`${origin}/i/fastlab2`, {
      redirect: "manual",
      headers: { cookie: "next-auth.session-token=not-a-jwt" },
    });
    expect(forged.status).toBe(299);
    const outsider = await userIdOf(database().db, "prof.okafor@cascade.edu");
    expect((await get("/i/fastlab2", outsider)).status).toBe(299);
  });
});
