import type { Redis } from "ioredis";
import { AppError } from "../errors";

export interface RateLimit {
  /** Redis key namespace, e.g. "link-create". */
  name: string;
  limit: number;
  windowSeconds: number;
  /** What the person is told when they hit the limit. */
  refusal(minutesToWait: number): string;
}

const inMinutes = (minutes: number) => `${minutes} minute${minutes === 1 ? "" : "s"}`;

/** Publishing links: generous for a course's staff, a wall for a script. */
export const linkCreationRateLimit: RateLimit = {
  name: "link-create",
  limit: 30,
  windowSeconds: 3600,
  refusal: (minutes) =>
    `You have published 30 links in the last hour, the most allowed. Try again in ${inMinutes(minutes)}.`,
};

/**
 * Trying join codes (looking one up or joining with it): plenty for someone typing a code from a
 * slide, far too few to guess one (codes carry about 49 bits).
 */
export const joinCodeRateLimit: RateLimit = {
  name: "join-code",
  limit: 30,
  windowSeconds: 600,
  refusal: (minutes) =>
    `Too many join codes tried in a short time. Check the code with your instructor and try again in ${inMinutes(minutes)}.`,
};

/**
 * A fixed-window counter in Redis (INCR, then EXPIRE on the first hit of a
 * window). Throws TOO_MANY_REQUESTS with when to try again.
 */
export async function consumeRateLimit(
  redis: Pick<Redis, "multi">,
  rateLimit: RateLimit,
  subject: string,
  now: Date = new Date(),
): Promise<void> {
  const window = Math.floor(now.getTime() / 1000 / rateLimit.windowSeconds);
  const key = `hubfed:rate:${rateLimit.name}:${subject}:${window}`;
  const results = await redis.multi().incr(key).expire(key, rateLimit.windowSeconds, "NX").exec();
  const count = Number(results?.[0]?.[1] ?? 0);
  if (count > rateLimit.limit) {
    const resetsAt = (window + 1) * rateLimit.windowSeconds * 1000;
    const minutes = Math.max(1, Math.ceil((resetsAt - now.getTime()) / 60_000));
    throw new AppError("TOO_MANY_REQUESTS", rateLimit.refusal(minutes));
  }
}
