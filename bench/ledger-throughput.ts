// Ledger throughput on PostgreSQL under concurrency (issue "Credits": a
// benchmark of transfers per second). Not a test: it prints numbers.
//
//   npm run bench:ledger            (starts a throw-away PostgreSQL)
//   TEST_DATABASE_ADMIN_URL=… npm run bench:ledger
//
// Two shapes: every transfer debits one hot pool (the worst case: row locks
// serialise them), and transfers spread over 32 independent pools. After the
// runs it checks the books: every call posted exactly one transfer (no double
// spend), every account's balance equals the sum of its transfers and no
// account that must not overdraw is below zero. Writes bench/results/ledger.json.
import { openLedgerAccount, postTransfer } from "@hubfed/core";
import { createDatabaseClient, type DatabaseClient } from "@hubfed/db";
import { machineLoad, percentile, startScratchDatabase, writeBenchResult } from "./support";

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const concurrencyLevels = [1, 8, 32];

async function fundPools(db: DatabaseClient, prefix: string, count: number) {
  const pairs = [];
  for (let index = 0; index < count; index += 1) {
    const funding = await openLedgerAccount(db, {
      code: `funding:${prefix}-${index}`,
      kind: "FUNDING",
      currency: "USD",
    });
    const pool = await openLedgerAccount(db, {
      code: `pool:${prefix}-${index}`,
      kind: "POOL",
      currency: "USD",
    });
    const allocation = await openLedgerAccount(db, {
      code: `allocation:${prefix}-${index}`,
      kind: "ALLOCATION",
      currency: "USD",
    });
    await postTransfer(db, {
      idempotencyKey: `${prefix}-${index}:fund`,
      debitAccountId: funding.id,
      creditAccountId: pool.id,
      amountCents: 1_000_000_000n,
      memo: "fund",
    });
    pairs.push({ pool: pool.id, allocation: allocation.id });
  }
  return pairs;
}

/** The books after the runs: transfers against calls, balances against the transfers that make them. */
async function audit(db: DatabaseClient, calls: number) {
  const [books] = await db.$queryRaw<
    Array<{ transfers: bigint; keys: bigint; overdrawn: bigint; unbalanced: bigint }>
  >`
    SELECT (SELECT count(*) FROM "LedgerTransfer" WHERE memo = 'bench') AS transfers,
           (SELECT count(DISTINCT "idempotencyKey") FROM "LedgerTransfer" WHERE memo = 'bench') AS keys,
           (SELECT count(*) FROM "LedgerAccount" WHERE "debitsMustNotExceedCredits"
              AND "postedCreditsCents" - "postedDebitsCents" - "pendingDebitsCents" < 0) AS overdrawn,
           (SELECT count(*) FROM "LedgerAccount" account WHERE
              "postedDebitsCents" <> (SELECT coalesce(sum("amountCents"), 0) FROM "LedgerTransfer" WHERE "debitAccountId" = account.id)
              OR "postedCreditsCents" <> (SELECT coalesce(sum("amountCents"), 0) FROM "LedgerTransfer" WHERE "creditAccountId" = account.id)) AS unbalanced`;
  return {
    calls,
    transfers: Number(books?.transfers),
    doubleSpends: Number(books?.transfers) - calls,
    duplicateKeys: Number(books?.transfers) - Number(books?.keys),
    overdrafts: Number(books?.overdrawn),
    unbalancedAccounts: Number(books?.unbalanced),
  };
}

async function run(
  db: DatabaseClient,
  pairs: Array<{ pool: string; allocation: string }>,
  concurrency: number,
  label: string,
) {
  const latencies: number[] = [];
  let sequence = 0;
  const deadline = Date.now() + durationMs;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (Date.now() < deadline) {
        const pair = pairs[(sequence + worker) % pairs.length];
        if (!pair) return;
        const key = `${label}:${concurrency}:${(sequence += 1)}`;
        const begin = performance.now();
        await postTransfer(db, {
          idempotencyKey: key,
          debitAccountId: pair.pool,
          creditAccountId: pair.allocation,
          amountCents: 1n,
          memo: "bench",
        });
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    label,
    concurrency,
    transfers: latencies.length,
    perSecond: Math.round(latencies.length / elapsedSeconds),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

async function main() {
  const scratch = await startScratchDatabase();
  const db = createDatabaseClient({ databaseUrl: scratch.database.url, maxConnections: 40 });
  try {
    const hot = await fundPools(db, "hot", 1);
    const spread = await fundPools(db, "spread", 32);
    const results = [];
    const loadBefore = machineLoad();
    for (const concurrency of concurrencyLevels) {
      results.push(await run(db, hot, concurrency, "one hot pool"));
      results.push(await run(db, spread, concurrency, "32 pools"));
    }
    const loadAfter = machineLoad();
    const books = await audit(
      db,
      results.reduce((sum, row) => sum + row.transfers, 0),
    );
    console.log(
      `\nLedger transfers on PostgreSQL (${durationMs / 1000} s per row, ${process.env.TEST_DATABASE_ADMIN_URL ? "given server" : "embedded PostgreSQL, fsync off"})\n`,
    );
    console.log("| shape | concurrency | transfers | transfers/s | p50 ms | p99 ms |");
    console.log("|---|---:|---:|---:|---:|---:|");
    for (const row of results)
      console.log(
        `| ${row.label} | ${row.concurrency} | ${row.transfers} | ${row.perSecond} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} |`,
      );
    console.log(`\nBooks: ${JSON.stringify(books)}`);
    console.log(`Load average before ${loadBefore.join(" ")}, after ${loadAfter.join(" ")}`);
    const file = await writeBenchResult("ledger", {
      settings: {
        secondsPerRow: durationMs / 1000,
        callers: concurrencyLevels,
        databaseConnections: 40,
        database: process.env.TEST_DATABASE_ADMIN_URL ? "given server" : "embedded PostgreSQL",
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadAfter,
      },
      rows: results,
      books,
    });
    console.log(`Wrote ${file}`);
  } finally {
    await db.$disconnect();
    await scratch.stop();
  }
}

void main();
