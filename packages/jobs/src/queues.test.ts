import { describe, expect, it } from "vitest";
import { assertJobIdAccepted } from "./queues";

describe("job ids", () => {
  it.each([
    "heartbeat",
    "provision:hub1:3",
    "provision:hub1:retry-1763800000000",
    "gitops-export:manual:1",
  ])("accepts %s", (jobId) => expect(() => assertJobIdAccepted(jobId)).not.toThrow());

  it.each(["provision:hub1:retry:1763800000000", "a:b", "a:b:c:d"])(
    "refuses %s, which BullMQ would refuse with a less helpful message",
    (jobId) => expect(() => assertJobIdAccepted(jobId)).toThrow(/exactly twice/),
  );
});
