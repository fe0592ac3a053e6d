import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { availableCents } from "../credits";
import { approvalHoldKey } from "../hubs/create-hub";
import { loadRegionConfigs, syncRegions } from "../regions";
import { seedDemoData } from "./seed";

const database = useTestDatabase();
const regionsDirectory = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../regions",
);

async function countRows() {
  const db = database().db;
  const [users, institutions, courses, enrollments, memberships, pools, accounts, transfers] =
    await Promise.all([
      db.user.count(),
      db.institution.count(),
      db.course.count(),
      db.enrollment.count(),
      db.institutionMembership.count(),
      db.creditPool.count(),
      db.ledgerAccount.count(),
      db.ledgerTransfer.count(),
    ]);
  return { users, institutions, courses, enrollments, memberships, pools, accounts, transfers };
}

describe("seedDemoData", () => {
  it("refuses to seed credit pools before the regions are synced", async () => {
    await expect(seedDemoData(database().db)).rejects.toThrow(/sync the regions first/);
    expect(await countRows()).toEqual({
      users: 0,
      institutions: 0,
      courses: 0,
      enrollments: 0,
      memberships: 0,
      pools: 0,
      accounts: 0,
      transfers: 0,
    });
  });

  it("seeds users of every role, funded pools, and nothing twice", async () => {
    const db = database().db;
    await syncRegions(db, await loadRegionConfigs(regionsDirectory));
    await seedDemoData(db);
    const first = await countRows();
    await seedDemoData(db);
    expect(await countRows()).toEqual(first);

    expect(await db.user.count({ where: { isOperator: true } })).toBeGreaterThanOrEqual(1);
    expect(
      await db.institutionMembership.count({ where: { role: "ADMIN" } }),
    ).toBeGreaterThanOrEqual(1);
    for (const role of ["INSTRUCTOR", "TA", "STUDENT"] as const) {
      expect(await db.enrollment.count({ where: { role } })).toBeGreaterThanOrEqual(1);
    }
    const pools = await db.creditPool.findMany({ include: { ledgerAccount: true } });
    expect(pools.length).toBe(3);
    // Every pool is funded in full; DATA 101's approval holds its estimate on the AWS pool.
    for (const pool of pools) expect(pool.ledgerAccount.postedCreditsCents).toBe(pool.amountCents);
    const awsPool = pools.find((pool) => pool.slug === "aws-cloud-credits-2026");
    expect(awsPool && availableCents(awsPool.ledgerAccount)).toBe(5_000_000n - 76_050n);
  });

  it("seeds DATA 101's approved request with the estimate the unit test computes by hand, and a request waiting for review", async () => {
    const db = database().db;
    const data101 = await db.hubRequest.findFirstOrThrow({
      where: { courseCode: "DATA 101" },
      include: { hub: true },
    });
    expect(data101.status).toBe("APPROVED");
    expect(data101.estimateTotalCents).toBe(76_050n);
    expect(data101.estimatePerStudentMonthCents).toBe(163);
    expect(data101.estimateAssumptions).toEqual(
      expect.arrayContaining([expect.stringContaining("117 days")]),
    );
    expect(data101.hub?.status).toBe("PENDING");
    const hold = await db.ledgerTransfer.findFirstOrThrow({
      where: { kind: "PENDING", idempotencyKey: approvalHoldKey(data101.id) },
    });
    expect(hold.amountCents).toBe(76_050n);
    expect(await db.hubRequest.count({ where: { status: "SUBMITTED" } })).toBe(1);
  });
});
