import { expect, test } from "@playwright/test";
import { pageFor } from "../support/sign-in";

// Ops approve a request onto the local VM, watch the provisioning steps tick
// by, open the hub's URL and reach a real JupyterHub, which signs them in
// through the portal and refuses them: they are not enrolled in the course.

test("ops approve onto the local runtime, watch the steps live, and open the running JupyterHub", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const ops = await pageFor(browser, "ops@hubfed.example");
  await ops.goto("/ops");
  await ops
    .getByTestId("request-queue")
    .getByRole("link", { name: /CS 220/ })
    .click();

  const cluster = ops.getByLabel("Cluster");
  await cluster.selectOption(
    (await cluster.locator("option", { hasText: "local" }).first().getAttribute("value")) ?? "",
  );
  const pool = ops.getByLabel("Credit pool");
  await pool.selectOption(
    (await pool.locator("option", { hasText: "West Valley on-prem VM" }).getAttribute("value")) ??
      "",
  );
  await expect(ops.getByTestId("approval-preview")).toContainText("the hold will be");
  await ops.getByRole("button", { name: "Approve and create the hub" }).click();
  // A refused approval shows why; none is expected here.
  await expect(ops.getByTestId("decision-panel").getByRole("alert")).toHaveCount(0);
  await expect(ops.getByTestId("request-status")).toHaveText("Approved");

  await ops.getByTestId("request-hub").getByRole("link").first().click();
  await expect(ops).toHaveURL(/\/ops\/hubs\//);
  // The steps are shown as they run, then all succeed and the hub is READY.
  const latestRun = ops.getByTestId("latest-run");
  await expect(latestRun).toContainText("Allocate ports and a data directory", { timeout: 60_000 });
  await expect(
    latestRun.locator('[data-step-status="SUCCEEDED"]').filter({ hasText: "Start JupyterHub" }),
  ).toBeVisible({ timeout: 90_000 });
  await expect(ops.getByTestId("hub-status")).toHaveText("ready", { timeout: 60_000 });
  await expect(ops.getByTestId("conditions")).toContainText("Ready = true");

  // The hub signs people in at the portal, with no form of its own: ops are signed in there
  // but not enrolled in the course, so the hub refuses them with its own clear page.
  await ops.getByTestId("open-hub").click();
  await expect(ops).toHaveTitle(/JupyterHub/);
  await expect(ops.locator("body")).toContainText("You are not enrolled in CS 220");
  await expect(ops.locator("body")).not.toContainText(/Username|Password/);
});
