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
    expect(pools.map((pool) => pool.slug).sort()).toEqual([
      "aws-cloud-credits-2026",
      "cascade-onprem",
      "gcp-education-2026",
      "west-valley-onprem",
    ]);
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

  it("gives CS 120 a hub on the Portal VM, its student enrolled and a published link to its material", async () => {
    const db = database().db;
    const cs120 = await db.course.findUniqueOrThrow({
      where: { slug: "ccc-cs-120-fa26" },
      include: {
        hubs: { include: { cluster: true } },
        // Its assignment's link is checked with the assignment, below.
        contentLinks: { where: { assignmentId: null } },
        enrollments: { include: { user: true } },
      },
    });
    expect(cs120.hubs).toHaveLength(1);
    expect(cs120.hubs[0]).toMatchObject({ status: "PENDING", cluster: { runtime: "LOCAL" } });
    expect(cs120.enrollments.map((row) => [row.user.email, row.role])).toEqual(
      expect.arrayContaining([
        ["student@westvalley.edu", "STUDENT"],
        ["prof.okafor@cascade.edu", "INSTRUCTOR"],
      ]),
    );
    expect(cs120.contentLinks).toEqual([
      expect.objectContaining({
        code: "cs120week1",
        repositoryUrl: "https://github.com/cascade-cs/cs120",
        path: "week1/intro.ipynb",
        archivedAt: null,
      }),
    ]);
    const hold = await db.ledgerTransfer.findFirstOrThrow({
      where: { kind: "PENDING", metadata: { path: ["hubId"], equals: cs120.hubs[0]!.id } },
    });
    expect(hold.amountCents).toBeGreaterThan(0n);
  });

  it("publishes Lab 1 in CS 120 with its tests and an assignment link, once", async () => {
    const db = database().db;
    await seedDemoData(db);
    const assignments = await db.assignment.findMany({
      where: { course: { slug: "ccc-cs-120-fa26" } },
      include: { link: true },
    });
    expect(assignments).toHaveLength(1);
    const [lab] = assignments;
    expect(lab).toMatchObject({ slug: "lab-1", notebookName: "lab1.ipynb", points: 10 });
    expect(lab?.publishedAt).not.toBeNull();
    expect(lab?.link).toMatchObject({ code: "cs120lab1", archivedAt: null });
    const material = lab?.material as { tests: Array<{ name: string }> };
    expect(material.tests.map((test) => test.name)).toEqual(["q1", "q2"]);
  });

  it("marks the demo's us-west clusters simulated and the Portal VM real, as region.yaml says", async () => {
    const clusters = await database().db.cluster.findMany({
      select: { slug: true, isSimulated: true },
    });
    expect(
      Object.fromEntries(clusters.map((cluster) => [cluster.slug, cluster.isSimulated])),
    ).toEqual({
      "aws-eks-1": true,
      "gcp-gke-1": true,
      "local-vm": false,
    });
  });
});
