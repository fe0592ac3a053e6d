import { TRPCError } from "@trpc/server";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadActor, type Actor } from "@hubfed/auth";
import { seedDemoFederation } from "@hubfed/core/testing";
import { testRedisUrl, useTestDatabase } from "@hubfed/db/testing";
import { createSecretBox } from "@hubfed/identity/secret-box";
import { createInMemoryJobQueues } from "@hubfed/jobs";
import { appRouter } from "./root";
import { createCallerFactory } from "./trpc";

// Every credits procedure that takes an amount, called as ops with hostile
// amounts: each is refused as a bad request on the amount field, and nothing
// is written. (Core checks again: credits/hostile-amounts.int.test.ts.)

const database = useTestDatabase();
const createCaller = createCallerFactory(appRouter);
const queues = createInMemoryJobQueues();
const redis = new Redis(`${testRedisUrl()}/5`);
afterAll(() => redis.disconnect());

let ops: Actor;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  const user = await db.user.findUniqueOrThrow({ where: { email: "ops@hubfed.example" } });
  ops = (await loadActor(db, user.id))!;
  const pool = await db.creditPool.findUniqueOrThrow({ where: { slug: "aws-cloud-credits-2026" } });
  const hubAllocation = await db.allocation.findFirstOrThrow({ where: { hubId: { not: null } } });
  const institution = await db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } });
  Object.assign(ids, {
    pool: pool.id,
    hubAllocation: hubAllocation.id,
    institution: institution.id,
  });
});

const caller = () =>
  createCaller({
    db: database().db,
    queues,
    jobInspector: queues,
    secretBox: createSecretBox(Buffer.alloc(32, 1).toString("base64")),
    redis,
    verifyLink: () => Promise.resolve({ outcome: "unknown" as const, message: "not checked" }),
    readRepositoryMaterial: () =>
      Promise.resolve({ ok: false as const, field: "repositoryUrl" as const, message: "not read" }),
    identifyHubUser: () => Promise.resolve(null),
    actor: ops,
    requestMetadata: {},
  });

const hostileAmounts: Array<[string, unknown]> = [
  ["negative", -100n],
  ["zero", 0n],
  ["a fraction", 1.5],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["2^53 + 1", 2 ** 53 + 1],
  ["10^20", 10n ** 20n],
  ["a string", "100"],
  ["null", null],
];

const procedures: Array<[string, (amount: unknown) => Promise<unknown>]> = [
  [
    "credits.topUpPool",
    (amount) =>
      caller().credits.topUpPool({
        poolId: ids.pool!,
        amountCents: amount as bigint,
        idempotencyKey: "hostile-top-up",
      }),
  ],
  [
    "credits.allocateToInstitution",
    (amount) =>
      caller().credits.allocateToInstitution({
        poolId: ids.pool!,
        institutionId: ids.institution!,
        amountCents: amount as bigint,
        idempotencyKey: "hostile-allocate",
      }),
  ],
  [
    "credits.transferBetweenAllocations",
    (amount) =>
      caller().credits.transferBetweenAllocations({
        fromAllocationId: ids.hubAllocation!,
        toAllocationId: ids.hubAllocation!,
        amountCents: amount as bigint,
        idempotencyKey: "hostile-transfer",
      }),
  ],
  [
    "credits.topUpHubAllocation",
    (amount) =>
      caller().credits.topUpHubAllocation({
        allocationId: ids.hubAllocation!,
        amountCents: amount as bigint,
        idempotencyKey: "hostile-hub-top-up",
      }),
  ],
];

describe.each(procedures)("%s", (_path, run) => {
  it.each(hostileAmounts)(
    "refuses %s as a bad amount and writes nothing",
    async (_label, amount) => {
      const transfersBefore = await database().db.ledgerTransfer.count();
      const error = await run(amount).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("BAD_REQUEST");
      expect(JSON.stringify((error as TRPCError).cause ?? (error as TRPCError).message)).toContain(
        "amountCents",
      );
      expect(await database().db.ledgerTransfer.count()).toBe(transfersBefore);
    },
  );
});
