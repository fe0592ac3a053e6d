import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redacted, scrubSecrets, withLogContext } from "./logger";

function capture(level = "info") {
  const stream = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  stream.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean))
      lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const logger = createLogger({ component: "test", level, destination: stream });
  const flushed = () => new Promise((resolve) => setImmediate(resolve));
  return { logger, lines, flushed };
}

describe("the logger", () => {
  it("writes one JSON object per line with time, level name, component and message", async () => {
    const { logger, lines, flushed } = capture();
    logger.info({ hubSlug: "data-8" }, "hub ready");
    await flushed();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      component: "test",
      message: "hub ready",
      hubSlug: "data-8",
    });
    expect(Date.parse(String(lines[0]?.time))).not.toBeNaN();
  });

  it("adds the request or job the line belongs to, through awaits", async () => {
    const { logger, lines, flushed } = capture();
    await withLogContext({ requestId: "req-1" }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.warn("slow");
    });
    withLogContext({ queue: "system", job: "system.heartbeat", jobId: "42" }, () =>
      logger.error("failed"),
    );
    logger.info("outside");
    await flushed();
    expect(lines[0]).toMatchObject({ requestId: "req-1", message: "slow" });
    expect(lines[1]).toMatchObject({ queue: "system", job: "system.heartbeat", jobId: "42" });
    expect(lines[2]).not.toHaveProperty("requestId");
    expect(lines[2]).not.toHaveProperty("jobId");
  });
});

describe("secret leakage through logs", () => {
  const databasePassword = "pg-Sup3r-s3cret";
  const redisPassword = "redis-hunter2-pass";
  const bearer = "abcdefghijklmnopqrstuvwxyz012345";

  it("redacts fields named like secrets at any depth", async () => {
    const { logger, lines, flushed } = capture();
    logger.info(
      {
        password: databasePassword,
        request: { headers: { authorization: `Bearer ${bearer}`, cookie: "next-auth=xyz" } },
        hub: { clientSecret: "s3", portalTokenSealed: "sealed", apiToken: "t" },
        list: [{ NEXTAUTH_SECRET: "n" }],
      },
      "signing in",
    );
    await flushed();
    const text = JSON.stringify(lines);
    for (const secret of [
      databasePassword,
      bearer,
      "next-auth=xyz",
      '"s3"',
      "sealed",
      '"t"',
      '"n"',
    ])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      password: redacted,
      request: { headers: { authorization: redacted, cookie: redacted } },
      hub: { clientSecret: redacted, portalTokenSealed: redacted, apiToken: redacted },
    });
  });

  it("scrubs connection URLs and header credentials from messages and errors", async () => {
    const { logger, lines, flushed } = capture();
    const url = `postgresql://hubfed:${databasePassword}@db.internal:5432/hubfed`;
    logger.error(`cannot reach ${url}`);
    logger.error(
      { error: new Error(`connect redis://:${redisPassword}@cache:6379 failed`) },
      "queue down",
    );
    logger.warn({ detail: `sent Authorization: token ${bearer}` }, "hub refused");
    await flushed();
    const text = JSON.stringify(lines);
    for (const secret of [databasePassword, redisPassword, bearer])
      expect(text).not.toContain(secret);
    expect(lines[0]?.message).toBe(
      `cannot reach postgresql://hubfed:${redacted}@db.internal:5432/hubfed`,
    );
    expect(lines[1]).toMatchObject({
      error: { type: "Error", message: `connect redis://:${redacted}@cache:6379 failed` },
    });
  });

  it("leaves ordinary text alone", () => {
    expect(scrubSecrets("https://hub.example.org/hub/api/users?offset=0")).toBe(
      "https://hub.example.org/hub/api/users?offset=0",
    );
  });
});
