import { expect, test } from "@playwright/test";
import { pageFor } from "../support/sign-in";

test("ops see pools and hub allocations with burn charts and forecasts, and export a month as CSV", async ({
  browser,
}) => {
  const ops = await pageFor(browser, "ops@hubfed.example");
  await ops.goto("/ops/credits");
  const pools = ops.getByTestId("pools");
  await expect(pools).toContainText("AWS Cloud Credit for Research 2026");
  await expect(pools).toContainText("Google Cloud education credits 2026");
  const allocations = ops.getByTestId("allocations");
  await expect(allocations).toContainText("DATA 101: Foundations of Data Science");
  // The seeded month of usage is drawn: spent and forecast lines against the budget.
  await expect(
    ops.getByRole("figure", { name: /Spend of DATA 101/ }).getByRole("application"),
  ).toBeVisible();
  await expect(
    ops.getByRole("figure", { name: /Spend of DATA 101/ }).locator(".recharts-line"),
  ).toHaveCount(2);

  // Ops top up a pool; the table shows the new grant.
  const topUp = ops.getByRole("form").or(ops.locator("form")).filter({ hasText: "Top up a pool" });
  const poolSelect = topUp.getByLabel("Pool");
  const gcpValue = await poolSelect
    .locator("option", { hasText: "Google Cloud education credits 2026" })
    .getAttribute("value");
  await poolSelect.selectOption(gcpValue ?? "");
  await topUp.getByLabel("Amount").fill("1000.00");
  await topUp.getByRole("button", { name: "Top up a pool" }).click();
  await expect(
    pools.getByRole("row", { name: /Google Cloud education credits 2026/ }),
  ).toContainText("$26,000.00");

  const month = new Date().toISOString().slice(0, 7);
  const csv = await ops.request.get(`/api/credits/export?month=${month}`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.text()).split("\n")[0]).toBe(
    "month,hub,institution,pool,currency,spent,students,spent_per_student",
  );
  expect((await ops.request.get("/api/credits/export?month=not-a-month")).status()).toBe(400);
});

test("an institution admin sees their own institution's allocations and no pools; a student sees nothing", async ({
  browser,
}) => {
  const admin = await pageFor(browser, "it-admin@westvalley.edu");
  await admin.goto("/ops/credits");
  await expect(admin.getByTestId("allocations")).toContainText("West Valley College");
  await expect(admin.getByTestId("pools")).toHaveCount(0);
  await expect(admin.getByRole("button", { name: "Top up" })).toHaveCount(0);

  const student = await pageFor(browser, "student@westvalley.edu");
  await student.goto("/ops/credits");
  await expect(student.getByRole("alert").filter({ hasText: "Not allowed" })).toBeVisible();
  expect((await student.request.get("/api/credits/export?month=2026-10")).status()).toBe(403);
});
