import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { seedDemoFederation } from "../testing/demo-federation";
import { renderSpendCsv, renderSpendText, reportMonthlySpend, summariseSpend } from "./report";

const database = useTestDatabase();

describe("the monthly spend report", () => {
  it("adds up the posted days of a month per pool, institution and hub, and exports them as CSV", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    const month = (await db.dailyUsageCost.findFirstOrThrow({ orderBy: { day: "desc" } })).day
      .toISOString()
      .slice(0, 7);
    const [year, monthNumber] = month.split("-").map(Number) as [number, number];
    const posted = await db.dailyUsageCost.aggregate({
      where: {
        day: {
          gte: new Date(Date.UTC(year, monthNumber - 1, 1)),
          lt: new Date(Date.UTC(year, monthNumber, 1)),
        },
      },
      _sum: { costCents: true },
    });
    const report = await reportMonthlySpend(db, month);
    expect(report.byHub.map((line) => line.name)).toEqual(["wvc-data-101-fa26"]);
    expect(report.byPool).toEqual([
      {
        name: "AWS Cloud Credit for Research 2026",
        currency: "USD",
        spentCents: posted._sum.costCents,
      },
    ]);
    expect(report.byInstitution[0]?.spentCents).toBe(posted._sum.costCents);
    const csv = renderSpendCsv(report);
    expect(csv.split("\n")[0]).toBe(
      "month,hub,institution,pool,currency,spent,students,spent_per_student",
    );
    expect(csv).toContain(
      `${month},wvc-data-101-fa26,West Valley College,AWS Cloud Credit for Research 2026,USD,`,
    );
    expect(renderSpendText(report)).toContain("Per institution");
    expect((await reportMonthlySpend(db, month, { institutionIds: [] })).byHub).toEqual([]);
    await expect(reportMonthlySpend(db, "2026-13")).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("defuses spreadsheet formulas in names", () => {
    const csv = renderSpendCsv({
      month: "2026-10",
      byPool: [],
      byInstitution: [],
      byHub: [
        {
          name: '=HYPERLINK("x")',
          currency: "USD",
          spentCents: 1234n,
          institution: "A, B",
          pool: "p",
          students: 10,
          perStudentCents: 123n,
        },
      ],
    });
    expect(csv.split("\n")[1]).toBe(`2026-10,"'=HYPERLINK(""x"")","A, B",p,USD,12.34,10,1.23`);
  });

  it("formula injection: a refund or credit stays a negative number in the CSV", () => {
    const csv = renderSpendCsv(
      summariseSpend("2026-10", [
        {
          hub: "h",
          institution: "i",
          pool: "p",
          currency: "USD",
          students: 2,
          costCents: -1250n,
        },
      ]),
    );
    expect(csv.split("\n")[1]).toBe("2026-10,h,i,p,USD,-12.50,2,-6.25");
  });

  it("mixed currencies: spend in different currencies is never added up under one name", () => {
    const cost = { institution: "West Valley College", students: 10 };
    const report = summariseSpend("2026-10", [
      { ...cost, hub: "a", pool: "Credits", currency: "USD", costCents: 1000n },
      { ...cost, hub: "b", pool: "Credits", currency: "EUR", costCents: 500n },
      { ...cost, hub: "b", pool: "Credits", currency: "EUR", costCents: 250n },
    ]);
    const lines = (list: { name: string; currency: string; spentCents: bigint }[]) =>
      list.map(({ name, currency, spentCents }) => ({ name, currency, spentCents }));
    expect(lines(report.byInstitution)).toEqual([
      { name: "West Valley College", currency: "EUR", spentCents: 750n },
      { name: "West Valley College", currency: "USD", spentCents: 1000n },
    ]);
    expect(lines(report.byPool)).toEqual([
      { name: "Credits", currency: "EUR", spentCents: 750n },
      { name: "Credits", currency: "USD", spentCents: 1000n },
    ]);
  });
});
