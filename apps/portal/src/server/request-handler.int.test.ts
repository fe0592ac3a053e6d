import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInteractCache } from "@hubfed/core";
import { seedDemoFederation } from "@hubfed/core/testing";
import { useTestDatabase } from "@hubfed/db/testing";
import { createPortalSessionReader } from "@hubfed/identity/portal-session";
import { createLogger, createPortalMetrics } from "@hubfed/observability";
import { createInteractFastPath } from "./interact-fast-path";
import { createPortalRequestHandler } from "./request-handler";

// The portal's request handling as server.ts composes it (the interact fast path first, then
// /metrics, then the fallback that stands for Next), over real HTTP with a real database and
// real session cookies: clicks move the interact histogram, /metrics answers in Prometheus'
// format, and every request has an id its log lines carry.

const database = useTestDatabase();
const nextAuthSecret = "a-test-nextauth-secret-of-at-least-32-characters";
const logLines: Array<Record<string, unknown>> = [];
let server: Server;
let origin: string;
let studentId: string;

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  studentId = (await db.user.findUniqueOrThrow({ where: { email: "student@westvalley.edu" } })).id;
  const course = await db.course.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
  await db.hub.update({
    where: { slug: "wvc-data-101-fa26" },
    data: { status: "READY", url: "https://data101.hubs.example.org" },
  });
  await db.contentLink.create({
    data: {
      courseId: course.id,
      code: "metrics1",
      title: "metrics1",
      repositoryUrl: "https://github.com/westvalley-data/labs",
      branch: "main",
      path: "lab01/lab01.ipynb",
      interface: "LAB",
    },
  });
  const logStream = new PassThrough();
  logStream.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean))
      logLines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const interact = createInteractFastPath({
    db,
    cache: createInteractCache(),
    clicks: { recordClick: () => undefined, flush: () => Promise.resolve() },
    readPortalSession: createPortalSessionReader({
      secret: nextAuthSecret,
      portalUrl: "http://127.0.0.1:3000",
    }),
  });
  server = createServer(
    createPortalRequestHandler({
      portalUrl: "http://127.0.0.1:3000",
      trustedProxyHops: 0,
      metrics: createPortalMetrics(),
      metricsAccess: {},
      logger: createLogger({ component: "portal", level: "debug", destination: logStream }),
      answerers: [(request, response) => interact.handle(request, response)],
      fallback: (request, response) => {
        if (request.url === "/ops/broken") return Promise.reject(new Error("page exploded"));
        response.writeHead(299).end("next");
        return Promise.resolve();
      },
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function click(code: string) {
  const token = await encode({ token: { userId: studentId }, secret: nextAuthSecret });
  return fetch(`${origin}/i/${code}`, {
    redirect: "manual",
    headers: { cookie: `next-auth.session-token=${token}` },
  });
}

/** One sample of the scrape, by metric name and exact label text, or 0 when absent. */
async function scrape(sample: string): Promise<number> {
  const response = await fetch(`${origin}/metrics`);
  expect(response.status).toBe(200);
  const line = (await response.text()).split("\n").find((text) => text.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}

const interactRedirects =
  'hubfed_http_request_duration_seconds_count{app="portal",route="/i/:code",method="GET",status="302"}';

describe("the portal's request handling", () => {
  it("moves the interact histogram by one per click on a link", async () => {
    const before = await scrape(interactRedirects);
    const sumBefore = await scrape(interactRedirects.replace("_count{", "_sum{"));
    const response = await click("metrics1");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toContain("data101.hubs.example.org");
    // Observed when the response has been written, which the client may see a moment earlier.
    await expect.poll(() => scrape(interactRedirects)).toBe(before + 1);
    await click("metrics1");
    await click("metrics1");
    await expect.poll(() => scrape(interactRedirects)).toBe(before + 3);
    expect(await scrape(interactRedirects.replace("_count{", "_sum{"))).toBeGreaterThan(sumBefore);
  });

  it("labels other requests by route family, never by the raw path", async () => {
    await fetch(`${origin}/courses/wvc-data-101-fa26/roster`);
    await fetch(`${origin}/i/unknown-code`, { redirect: "manual" });
    const body = await (await fetch(`${origin}/metrics`)).text();
    expect(body).toContain('route="/courses",method="GET",status="299"');
    expect(body).not.toContain("wvc-data-101-fa26");
    expect(body).not.toContain("unknown-code");
  });

  it("gives every response a request id, and the failure's log line carries it", async () => {
    const ok = await fetch(`${origin}/requests`);
    const okId = ok.headers.get("x-request-id");
    expect(okId).toMatch(/^[0-9a-f-]{36}$/);
    const failed = await fetch(`${origin}/ops/broken`);
    expect(failed.status).toBe(500);
    const failedId = failed.headers.get("x-request-id");
    expect(failedId).not.toBe(okId);
    await expect
      .poll(() => logLines.find((line) => line.message === "request failed"))
      .toMatchObject({
        requestId: failedId,
        component: "portal",
        path: "/ops/broken",
        error: { message: "page exploded" },
      });
    await expect
      .poll(() =>
        logLines.find((line) => line.message === "request answered" && line.status === 500),
      )
      .toMatchObject({ requestId: failedId, route: "/ops", level: "warn" });
  });

  it("does not let a client choose its request id when no trusted proxy sets it", async () => {
    const response = await fetch(`${origin}/requests`, {
      headers: { "x-request-id": "chosen-by-the-client" },
    });
    expect(response.headers.get("x-request-id")).not.toBe("chosen-by-the-client");
  });

  it("keeps invitation tokens and join codes out of request logs", async () => {
    await fetch(`${origin}/invitations/secret-invitation-token-123?x=1`);
    await fetch(`${origin}/join/JOINCODE99`);
    await expect
      .poll(() => logLines.filter((line) => line.message === "request answered").length)
      .toBeGreaterThanOrEqual(2);
    const text = JSON.stringify(logLines);
    expect(text).not.toContain("secret-invitation-token-123");
    expect(text).not.toContain("JOINCODE99");
    expect(text).toContain('"path":"/invitations/:token"');
  });
});
