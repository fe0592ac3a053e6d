import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { testRedisUrl } from "@hubfed/db/testing";
import { consumeRateLimit, joinCodeRateLimit } from "./rate-limit";

const redis = new Redis(`${testRedisUrl()}/8`);
afterAll(() => redis.disconnect());

describe("the join-code rate limit", () => {
  it("lets a person try 30 codes in ten minutes, then says how long to wait", async () => {
    const person = `person-${process.pid}-${Date.now()}`;
    const now = new Date("2026-11-22T10:03:00Z");
    for (let attempt = 0; attempt < joinCodeRateLimit.limit; attempt += 1)
      await consumeRateLimit(redis, joinCodeRateLimit, person, now);
    await expect(consumeRateLimit(redis, joinCodeRateLimit, person, now)).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(
        /Too many join codes tried.*try again in 7 minutes\./,
      ) as unknown,
    });
    // Someone else is not held back by it.
    await expect(
      consumeRateLimit(redis, joinCodeRateLimit, `${person}-other`, now),
    ).resolves.toBeUndefined();
  });
});
