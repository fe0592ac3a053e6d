import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { useTestDatabase } from "@hubfed/db/testing";
import { isAppError } from "../errors";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { maxAmountCents } from "./amount";
import { placeHold, postTransfer } from "./ledger";
import { allocateToInstitution, transferBetweenAllocations } from "./allocations";
import { topUpHubAllocation } from "./hub-allocation-top-up";
import { createCreditPool, openFundedPool, topUpPool } from "./pools";
import { createInMemoryJobQueues } from "@hubfed/jobs";
import { createHubBudgetSwitch } from "../hubs/budget-switch";

// Hostile amounts against every exported credit function that takes one:
// each is refused with a field-level error before anything is written.

const database = useTestDatabase();
let ops: Actor;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  ops = await actorFor(db, "ops@hubfed.example");
  const pool = await db.creditPool.findUniqueOrThrow({ where: { slug: "aws-cloud-credits-2026" } });
  const westValley = await db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } });
  const institutionAllocation = await allocateToInstitution(db, ops, {
    poolId: pool.id,
    institutionId: westValley.id,
    amountCents: 1_000n,
    idempotencyKey: "hostile-setup",
  });
  const hubAllocation = await db.allocation.findFirstOrThrow({ where: { hubId: { not: null } } });
  Object.assign(ids, {
    pool: pool.id,
    poolAccount: pool.ledgerAccountId,
    institution: westValley.id,
    institutionAllocation: institutionAllocation.id,
    institutionAccount: institutionAllocation.ledgerAccountId,
    hubAllocation: hubAllocation.id,
  });
});

const hostileAmounts: Array<[string, unknown]> = [
  ["negative", -100n],
  ["zero", 0n],
  ["a fraction", 1.5],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["-Infinity", Number.NEGATIVE_INFINITY],
  ["2^53 + 1 as a number", 2 ** 53 + 1],
  ["10^20", 10n ** 20n],
  ["above the ceiling", maxAmountCents + 1n],
  ["a string", "100"],
  ["null", null],
  ["undefined", undefined],
];

// Each function as a caller would use it, with the amount put in as given.
const operations: Array<[string, (amount: unknown, key: string) => Promise<unknown>]> = [
  [
    "postTransfer",
    (amount, key) =>
      postTransfer(database().db, {
        idempotencyKey: key,
        debitAccountId: ids.poolAccount!,
        creditAccountId: ids.institutionAccount!,
        amountCents: amount as bigint,
        memo: "hostile",
      }),
  ],
  [
    "placeHold",
    (amount, key) =>
      placeHold(database().db, {
        idempotencyKey: key,
        debitAccountId: ids.poolAccount!,
        creditAccountId: ids.institutionAccount!,
        amountCents: amount as bigint,
        memo: "hostile",
        expiresAt: new Date("2030-01-01"),
      }),
  ],
  [
    "createCreditPool",
    (amount, key) =>
      createCreditPool(database().db, ops, {
        slug: key
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .slice(0, 60),
        name: "Hostile",
        regionSlug: "us-west",
        cloudSlug: "gcp",
        source: "GRANT",
        amountCents: amount as bigint,
        startsAt: new Date("2026-01-01"),
        expiresAt: new Date("2030-01-01"),
      }),
  ],
  [
    "openFundedPool",
    (amount, key) =>
      database().db.$transaction(async (tx) => {
        const gcp = await tx.creditPool.findUniqueOrThrow({
          where: { slug: "gcp-education-2026" },
          select: { regionId: true, cloudId: true },
        });
        return openFundedPool(tx, {
          slug: key
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, "-")
            .slice(0, 60),
          name: "Hostile",
          regionId: gcp.regionId,
          cloudId: gcp.cloudId,
          currency: "USD",
          source: "GRANT",
          amountCents: amount as bigint,
          startsAt: new Date("2026-01-01"),
          expiresAt: new Date("2030-01-01"),
        });
      }),
  ],
  [
    "topUpPool",
    (amount, key) =>
      topUpPool(database().db, ops, {
        poolId: ids.pool!,
        amountCents: amount as bigint,
        idempotencyKey: key,
      }),
  ],
  [
    "allocateToInstitution",
    (amount, key) =>
      allocateToInstitution(database().db, ops, {
        poolId: ids.pool!,
        institutionId: ids.institution!,
        amountCents: amount as bigint,
        idempotencyKey: key,
      }),
  ],
  [
    "transferBetweenAllocations",
    (amount, key) =>
      transferBetweenAllocations(database().db, ops, {
        fromAllocationId: ids.institutionAllocation!,
        toAllocationId: ids.hubAllocation!,
        amountCents: amount as bigint,
        idempotencyKey: key,
      }),
  ],
  [
    "topUpHubAllocation",
    (amount, key) =>
      topUpHubAllocation(
        database().db,
        ops,
        {
          allocationId: ids.hubAllocation!,
          amountCents: amount as bigint,
          idempotencyKey: key,
        },
        createHubBudgetSwitch(createInMemoryJobQueues()),
      ),
  ],
];

async function snapshot() {
  const db = database().db;
  const [transfers, pools, allocations, audits] = await Promise.all([
    db.ledgerTransfer.count(),
    db.creditPool.findMany({ select: { id: true, amountCents: true }, orderBy: { id: "asc" } }),
    db.allocation.findMany({ select: { id: true, budgetCents: true }, orderBy: { id: "asc" } }),
    db.auditEvent.count(),
  ]);
  return { transfers, pools, allocations, audits };
}

describe.each(operations)("%s", (name, run) => {
  it.each(hostileAmounts)(
    "refuses %s with a field error and writes nothing",
    async (label, amount) => {
      const before = await snapshot();
      const error = await run(amount, `hostile-${name}-${label}`).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(isAppError(error), `${name}(${label}) gave ${String(error)}`).toBe(true);
      expect(error).toMatchObject({ code: "BAD_REQUEST" });
      expect(Object.keys((error as { fieldErrors: object }).fieldErrors)).toEqual(["amountCents"]);
      expect(await snapshot()).toEqual(before);
    },
  );
});
