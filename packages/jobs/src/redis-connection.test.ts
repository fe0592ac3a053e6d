import { describe, expect, it } from "vitest";
import { redisConnectionFromUrl } from "./bullmq-job-queues";

describe("redisConnectionFromUrl", () => {
  it("turns on TLS for rediss:// and keeps everything the URL says", () => {
    expect(redisConnectionFromUrl("rediss://worker:p%40ss@redis.example.org:6380/2")).toEqual({
      host: "redis.example.org",
      port: 6380,
      username: "worker",
      password: "p@ss",
      db: 2,
      tls: {},
      maxRetriesPerRequest: null,
    });
  });

  it("speaks plain TCP for redis://", () => {
    const connection = redisConnectionFromUrl("redis://127.0.0.1:6379");
    expect(connection).not.toHaveProperty("tls");
    expect(connection).toMatchObject({ host: "127.0.0.1", port: 6379, db: 0 });
  });

  it("unwraps a bracketed IPv6 host", () => {
    expect(redisConnectionFromUrl("rediss://[::1]:6380")).toMatchObject({ host: "::1", tls: {} });
  });

  it("refuses a URL that is not Redis's", () => {
    expect(() => redisConnectionFromUrl("http://redis.example.org")).toThrow(
      "REDIS_URL must start with redis:// or rediss://",
    );
  });
});
