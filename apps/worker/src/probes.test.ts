import { afterEach, describe, expect, it } from "vitest";
import { startProbeServer, type WorkerProbeServer } from "./probes";

let server: WorkerProbeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function get(path: string) {
  const response = await fetch(`http://127.0.0.1:${server?.port ?? 0}${path}`);
  const body: unknown = await response.json();
  return { status: response.status, body };
}

describe("the worker's probe listener", () => {
  it("is ready while processing, not while Redis is lost, and alive throughout", async () => {
    let isReady = true;
    server = await startProbeServer(
      { isReady: () => isReady, isStopping: () => false },
      { port: 0, host: "127.0.0.1" },
    );
    expect(await get("/readyz")).toEqual({
      status: 200,
      body: { isReady: true, isStopping: false },
    });
    isReady = false;
    expect((await get("/readyz")).status).toBe(503);
    expect(await get("/livez")).toEqual({ status: 200, body: { isAlive: true } });
  });

  it("stops being ready when it stops, and answers nothing else", async () => {
    server = await startProbeServer(
      { isReady: () => true, isStopping: () => true },
      { port: 0, host: "127.0.0.1" },
    );
    expect(await get("/readyz")).toEqual({
      status: 503,
      body: { isReady: false, isStopping: true },
    });
    expect((await get("/metrics-or-anything")).status).toBe(404);
  });
});
