import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseClient } from "@hubfed/db";
import { useTestDatabase } from "@hubfed/db/testing";
import { seedDemoFederation } from "../testing/demo-federation";
import { createInteractFastPath } from "./fast-path";
import { createInteractCache } from "./resolve";

// The click path beside Next over real HTTP: it answers only a signed-in,
// enrolled student's redirect to a READY hub, and hands everything else on.

const database = useTestDatabase();
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
  const fastPath = createInteractFastPath({
    db,
    cache: createInteractCache(),
    clicks: { recordClick: (click) => clicks.push(click) },
    // Stands in for the next-auth JWT: the cookie's value names the user.
    readUserId: (request) =>
      Promise.resolve(
        /next-auth\.session-token=([^;]+)/.exec(request.headers.cookie ?? "")?.[1] ?? null,
      ),
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

const get = (path: string, userId?: string) =>
  fetch(`${origin}${path}`, {
    redirect: "manual",
    headers: userId ? { cookie: `theme=dark; next-auth.session-token=${userId}` } : {},
  });

describe("the interact fast path", () => {
  it("redirects an enrolled student to nbgitpuller on their hub and counts the click", async () => {
    const response = await get("/i/fastlab2", studentId);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.origin).toBe("https://data101.hubs.example.org");
    expect(location.pathname).toBe("/hub/user-redirect/git-pull");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(clicks).toHaveLength(1);
    expect(clicks[0]?.linkId).toBeTruthy();
  });

  it.each([
    ["a visitor", "/i/fastlab2", undefined],
    ["an archived link", "/i/oldlab22", "student"],
    ["an unknown code", "/i/zzzzzzzz", "student"],
    ["a path that is not a code", "/i/../../ops", "student"],
    ["another route", "/interact?course=wvc-data-101-fa26", "student"],
  ])("hands %s on to Next", async (_name, path, who) => {
    const response = await get(path, who === "student" ? studentId : undefined);
    expect(response.status).toBe(299);
  });

  it("hands on a student who is not enrolled, and a hub that is not READY", async () => {
    const db = database().db;
    expect((await get("/i/fastlab2", await userIdOf(db, "prof.okafor@cascade.edu"))).status).toBe(
      299,
    );
    await db.hub.update({ where: { slug: "wvc-data-101-fa26" }, data: { status: "DEGRADED" } });
    const fresh = createInteractFastPath({
      db,
      cache: createInteractCache(),
      clicks: { recordClick: () => undefined },
      readUserId: () => Promise.resolve(studentId),
    });
    let handled = true;
    const probe = createServer((request, response) => {
      void fresh.handle(request, response).then((wasHandled) => {
        handled = wasHandled;
        if (!wasHandled) response.writeHead(299).end();
      });
    });
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await fetch(`http://127.0.0.1:${port}/i/fastlab2`, {
      redirect: "manual",
      headers: { cookie: "next-auth.session-token=x" },
    });
    expect(handled).toBe(false);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
});
