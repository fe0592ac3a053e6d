import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSelfSignedCertificate,
  findFreePort,
  startRedis,
  type RedisHandle,
  type SelfSignedCertificate,
} from "@hubfed/stack";
import { redisConnectionFromUrl } from "./bullmq-job-queues";

// Managed Redis services (ElastiCache with in-transit encryption, Memorystore, Upstash) accept
// TLS only: a rediss:// REDIS_URL must reach them over TLS, or every queue hangs.
describe("a rediss:// REDIS_URL against a Redis that only speaks TLS", () => {
  let directory: string;
  let certificate: SelfSignedCertificate;
  let redis: RedisHandle;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), "hubfed-redis-tls-"));
    certificate = await createSelfSignedCertificate(directory);
    redis = await startRedis({
      dataDirectory: path.join(directory, "data"),
      port: await findFreePort(),
      isPersistent: false,
      tls: certificate,
    });
  });

  afterAll(async () => {
    await redis?.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  /** A queue round trip; the certificate is trusted as NODE_EXTRA_CA_CERTS would in a pod. */
  async function addAndReadJob(redisUrl: string): Promise<unknown> {
    const connection = redisConnectionFromUrl(redisUrl);
    const trusted = connection.tls
      ? { ...connection, tls: { ...connection.tls, ca: certificate.certificate } }
      : { ...connection, connectTimeout: 1_000, retryStrategy: () => null };
    const queue = new Queue("tls-check", { connection: trusted, prefix: "hubfed-tls-test" });
    queue.on("error", () => undefined);
    try {
      const job = await queue.add("ping", { sent: "over TLS" });
      return (await queue.getJob(job.id ?? ""))?.data;
    } finally {
      await queue.close().catch(() => undefined);
    }
  }

  it("adds and reads a job over TLS", async () => {
    expect(redis.url).toMatch(/^rediss:\/\//);
    expect(await addAndReadJob(redis.url)).toEqual({ sent: "over TLS" });
  });

  it("gets nowhere with the same address as redis:// (the bug a dropped tls option causes)", async () => {
    const plainUrl = redis.url.replace(/^rediss:/, "redis:");
    await expect(
      Promise.race([
        addAndReadJob(plainUrl),
        new Promise((_, reject) => setTimeout(() => reject(new Error("no answer")), 5_000)),
      ]),
    ).rejects.toThrow();
  });
});
