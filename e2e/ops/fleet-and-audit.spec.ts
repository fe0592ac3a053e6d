import { expect, test } from "@playwright/test";
import { pageFor } from "../support/sign-in";

test("ops find a hub in the fleet view by search, sort the fleet, export it, and read its history in the audit log", async ({
  browser,
}) => {
  const ops = await pageFor(browser, "ops@hubfed.example");
  await ops.goto("/");
  await ops.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Hubs" }).click();
  await expect(ops.getByRole("heading", { name: "Hubs", level: 1 })).toBeVisible();
  const table = ops.getByTestId("fleet-table");
  await expect(table.getByRole("link", { name: "wvc-data-101-fa26" })).toBeVisible();
  await expect(table.getByRole("link", { name: "ccc-cs-120-fa26" })).toBeVisible();
  await ops.screenshot({ path: test.info().outputPath("fleet.png"), fullPage: true });

  // Search narrows the fleet to the one course.
  await ops.getByRole("searchbox", { name: "Search" }).fill("CS 120");
  await ops.getByRole("button", { name: "Apply filters" }).click();
  await expect(ops).toHaveURL(/search=CS\+120/);
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(ops.getByTestId("pager-summary")).toHaveText("Showing 1–1 of 1 hubs");

  // Sorting keeps the search; the header says which way it sorts.
  await table.getByRole("link", { name: "Spent this month" }).click();
  await expect(ops).toHaveURL(/sort=spentThisMonth&direction=desc/);
  await expect(ops).toHaveURL(/search=CS\+120/);
  await expect(table.getByRole("columnheader", { name: /Spent this month/ })).toHaveAttribute(
    "aria-sort",
    "descending",
  );

  // The CSV carries the same filters, and every matching hub.
  const csv = await ops.request.get("/api/ops/hubs?search=CS+120");
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toMatch(/^hub,status,health,course,/);
  expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(["ccc-cs-120-fa26"]);

  await table.getByRole("link", { name: "ccc-cs-120-fa26" }).click();
  await expect(ops).toHaveURL(/\/ops\/hubs\/ccc-cs-120-fa26$/);

  // The hub's history: only its own events, each linking back to it.
  await ops.getByRole("link", { name: "History in the audit log" }).click();
  await expect(ops.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  const audit = ops.getByTestId("audit-table");
  const objects = audit.locator("tbody tr td:nth-child(4) > a");
  await expect(objects.first()).toBeVisible();
  expect(new Set(await objects.allTextContents())).toEqual(new Set(["Hub ccc-cs-120-fa26"]));
  await ops.screenshot({ path: test.info().outputPath("audit.png"), fullPage: true });
  await objects.first().click();
  await expect(ops).toHaveURL(/\/ops\/hubs\/ccc-cs-120-fa26$/);

  // The filters: every event about hubs, whichever hub.
  await ops.goto("/ops/audit");
  await ops.getByLabel("Object").selectOption("Hub");
  await ops.getByRole("button", { name: "Apply filters" }).click();
  await expect(ops).toHaveURL(/subjectType=Hub/);
  await expect(objects.first()).toHaveText(/^Hub /);

  // A malformed filter in the address is named under its field; the log still shows.
  await ops.goto("/ops/audit?from=yesterday");
  await expect(ops.locator("#audit-from-error")).toHaveText("Use a date like 2026-09-01");
  // A long log has a pager above and below the table.
  await expect(ops.getByTestId("pager-summary").first()).toBeVisible();
  expect((await ops.request.get("/api/ops/audit?from=yesterday")).status()).toBe(400);
});

test("an institution admin sees their own institution's hubs and events; a student sees neither", async ({
  browser,
}) => {
  const admin = await pageFor(browser, "it-admin@westvalley.edu");
  await admin.goto("/ops/hubs");
  const table = admin.getByTestId("fleet-table");
  await expect(table.getByRole("link", { name: "wvc-data-101-fa26" })).toBeVisible();
  await expect(table.getByRole("link", { name: "ccc-cs-120-fa26" })).toHaveCount(0);
  const csv = await (await admin.request.get("/api/ops/hubs")).text();
  expect(csv).toContain("wvc-data-101-fa26");
  expect(csv).not.toContain("ccc-cs-120-fa26");
  await admin.goto("/ops/audit");
  await expect(admin.getByTestId("audit-table")).toContainText("West Valley College");
  await expect(admin.getByTestId("audit-table")).not.toContainText("Cascade Community College");

  const student = await pageFor(browser, "student@westvalley.edu");
  for (const path of ["/ops/hubs", "/ops/audit"]) {
    await student.goto(path);
    await expect(student.getByRole("alert").filter({ hasText: "Not allowed" })).toBeVisible();
  }
  expect((await student.request.get("/api/ops/hubs")).status()).toBe(403);
  expect((await student.request.get("/api/ops/audit")).status()).toBe(403);
});
