import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { answerMetricsRequest, type MetricsAccess } from "./metrics-endpoint";
import { createPortalMetrics } from "./metrics";

let server: Server | undefined;

async function serve(access: MetricsAccess): Promise<string> {
  const { registry, httpRequestDuration } = createPortalMetrics();
  httpRequestDuration.observe({ route: "/i/:code", method: "GET", status: "302" }, 0.002);
  server = createServer((request, response) => {
    void answerMetricsRequest(request, response, registry, access).then((handled) => {
      if (!handled) response.end("next");
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe("metrics exposure", () => {
  it("answers a direct local scrape in Prometheus' text format when no token is set", async () => {
    const origin = await serve({});
    const response = await fetch(`${origin}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const body = await response.text();
    expect(body).toContain(
      'hubfed_http_request_duration_seconds_count{app="portal",route="/i/:code",method="GET",status="302"} 1',
    );
    expect(body).toContain("process_cpu_seconds_total");
  });

  it("hides the metrics from a scrape relayed by a proxy when no token is set", async () => {
    const origin = await serve({});
    const relayed = await fetch(`${origin}/metrics`, {
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    expect(relayed.status).toBe(404);
    expect(await relayed.text()).not.toContain("hubfed_");
  });

  it("requires the bearer token when one is set, compared whole", async () => {
    const origin = await serve({ bearerToken: "scrape-token-123" });
    for (const authorization of [
      undefined,
      "Bearer wrong-token-1234",
      "Bearer scrape-token-12",
      "scrape-token-123",
    ]) {
      const response = await fetch(`${origin}/metrics`, {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status, String(authorization)).toBe(404);
    }
    const allowed = await fetch(`${origin}/metrics`, {
      headers: { authorization: "Bearer scrape-token-123", "x-forwarded-for": "203.0.113.9" },
    });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("hubfed_http_request_duration_seconds_bucket");
  });

  it("lets every other path through", async () => {
    const origin = await serve({});
    expect(await (await fetch(`${origin}/metrics-not`)).text()).toBe("next");
  });
});
