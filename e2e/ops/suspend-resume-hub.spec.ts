import { expect, test } from "@playwright/test";
import { createCourseWithLocalHub } from "../support/local-hub-course";
import { pageFor } from "../support/sign-in";

// A real JupyterHub on the local cluster, found in the fleet view, suspended from its page with a
// reason and resumed: the worker stops it (the run's steps say so), the audit log and the course's
// staff read the reason, and it comes back. The course page shows an instructor their course's spend against its allocation.

test("ops find a hub in the fleet view by search, suspend it with a reason, read the audit entry, and resume it", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const slug = "e2e-suspend-101";
  await createCourseWithLocalHub({
    slug,
    code: "SUSP 101",
    title: "Suspension drill",
    institution: "west-valley",
    allowList: [],
    people: [
      ["prof.rivera@westvalley.edu", "INSTRUCTOR"],
      ["student@westvalley.edu", "STUDENT"],
    ],
  });

  // An institution admin may suspend and resume their hubs, nothing else.
  const admin = await pageFor(browser, "it-admin@westvalley.edu");
  await admin.goto(`/ops/hubs/${slug}`);
  await expect(admin.getByRole("button", { name: "Suspend hub" })).toBeVisible();
  await expect(admin.getByRole("button", { name: "Retire hub" })).toHaveCount(0);

  // Ops find it in the fleet by its course code.
  const ops = await pageFor(browser, "ops@hubfed.example");
  await ops.goto("/ops/hubs");
  await ops.getByRole("searchbox", { name: "Search" }).fill("SUSP 101");
  await ops.getByRole("button", { name: "Apply filters" }).click();
  const fleet = ops.getByTestId("fleet-table");
  await expect(fleet.getByRole("row")).toHaveCount(2);
  await fleet.getByRole("link", { name: slug }).click();
  await expect(ops).toHaveURL(new RegExp(`/ops/hubs/${slug}$`));

  // Suspend, with a reason and a confirmation.
  await ops.getByRole("button", { name: "Suspend hub" }).click();
  const dialog = ops.getByRole("dialog", { name: "Suspend this hub?" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Reason").fill("Campus network maintenance this week");
  await ops.screenshot({ path: test.info().outputPath("suspend-dialog.png"), fullPage: true });
  await dialog.getByRole("button", { name: "Suspend hub" }).click();
  await expect(dialog).toBeHidden();
  await expect(ops.getByTestId("hub-status").first()).toHaveText("suspended");
  await expect(ops.getByTestId("hub-suspension")).toContainText(
    "Campus network maintenance this week",
  );

  // The worker stops it.
  const latestRun = ops.getByTestId("latest-run");
  await expect(latestRun).toContainText("suspend", { timeout: 60_000 });
  await expect(
    latestRun
      .locator('[data-step-status="SUCCEEDED"]')
      .filter({ hasText: "Check that nothing of the hub runs" }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(ops.getByTestId("conditions")).toContainText("Suspended = true");
  await ops.screenshot({ path: test.info().outputPath("suspended-hub.png"), fullPage: true });

  // The audit log names who suspended it, and why.
  await ops.getByRole("link", { name: "History in the audit log" }).click();
  const suspension = ops
    .getByTestId("audit-table")
    .getByRole("row")
    .filter({ hasText: "hub.suspend" })
    .first();
  await expect(suspension).toContainText("ops@hubfed.example");
  await expect(suspension).toContainText("Campus network maintenance this week");
  await ops.screenshot({ path: test.info().outputPath("suspension-audit.png"), fullPage: true });

  // The course's instructor was told why, and their course page says so.
  const instructor = await pageFor(browser, "prof.rivera@westvalley.edu");
  await instructor.goto("/notifications");
  await expect(instructor.getByText("Campus network maintenance this week").first()).toBeVisible();
  await instructor.goto(`/courses/${slug}`);
  await expect(instructor.getByTestId("course-hub")).toContainText("Suspended");

  // Ops resume it; the worker starts it again, and the log has that too.
  await ops.goto(`/ops/hubs/${slug}`);
  await ops.getByRole("button", { name: "Resume hub" }).click();
  const resume = ops.getByRole("dialog", { name: "Resume this hub?" });
  await resume.getByLabel("Reason").fill("Maintenance is over");
  await resume.getByRole("button", { name: "Resume hub" }).click();
  await expect(ops.getByTestId("hub-status")).toHaveText("ready", { timeout: 90_000 });
  await expect(ops.getByRole("button", { name: "Suspend hub" })).toBeVisible();
  await ops.getByRole("link", { name: "History in the audit log" }).click();
  await expect(
    ops.getByTestId("audit-table").getByRole("row").filter({ hasText: "hub.resume" }),
  ).toContainText("Maintenance is over");
});

test("an instructor sees their course's spend against its allocation, with the forecast", async ({
  browser,
}) => {
  const instructor = await pageFor(browser, "prof.rivera@westvalley.edu");
  await instructor.goto("/courses/wvc-data-101-fa26");
  const spend = instructor.getByTestId("course-spend");
  await expect(spend.getByRole("heading", { name: "Spend" })).toBeVisible();
  await expect(spend).toContainText("Budget");
  // The seeded month of usage: spent and forecast lines against the budget line.
  const chart = spend.getByRole("figure", { name: /Spend of wvc-data-101-fa26/ });
  await expect(chart.locator(".recharts-line")).toHaveCount(2);
  await instructor.screenshot({ path: test.info().outputPath("course-spend.png"), fullPage: true });

  // Students are not shown the money.
  const student = await pageFor(browser, "student@westvalley.edu");
  await student.goto("/courses/wvc-data-101-fa26");
  await expect(student.getByTestId("course-spend")).toHaveCount(0);
});
