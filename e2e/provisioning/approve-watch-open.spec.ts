import { expect, test, type Page } from "@playwright/test";
import { pageFor } from "../support/sign-in";

// The second journey signs people in to the hub the first one creates: run them in order.
test.describe.configure({ mode: "serial" });

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

/** Records every hub login form the page is ever shown (auto-login redirects instead). */
function watchForHubLoginForms(page: Page): string[] {
  const forms: string[] = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.endsWith("/hub/login") && response.status() === 200)
      forms.push(response.url());
  });
  return forms;
}

test("everyone signs in once: the instructor is the hub's admin, a student joins and lands in their server", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  // The instructor who asked for CS 220 opens the course and hands out a join code.
  const instructor = await pageFor(browser, "prof.okafor@cascade.edu");
  await instructor.goto("/");
  await instructor
    .getByRole("link", { name: /CS 220: Machine Learning Foundations/ })
    .first()
    .click();
  await expect(instructor).toHaveURL(/\/courses\/[a-z0-9-]+$/);
  const courseSlug = new URL(instructor.url()).pathname.split("/").at(-1) ?? "";
  await instructor.getByRole("button", { name: "Create join code" }).click();
  const code =
    (
      await instructor.getByTestId("join-code-row").first().getByTestId("join-code").textContent()
    )?.trim() ?? "";
  expect(code).not.toBe("");

  // Launching sends the instructor through the portal's sign-in, which already knows them,
  // into their own server; the hub makes them an admin.
  const instructorForms = watchForHubLoginForms(instructor);
  await instructor.goto(`/courses/${courseSlug}/launch`);
  await expect(instructor).toHaveURL(/\/user\/chidi-okafor\//, { timeout: 90_000 });
  const hubOrigin = new URL(instructor.url()).origin;
  await instructor.goto(`${hubOrigin}/hub/home`);
  await expect(instructor.getByRole("link", { name: "Admin" })).toBeVisible();
  expect(instructorForms).toEqual([]);

  // A student joins with the code, finds the course on My hubs and lands in their server.
  const student = await pageFor(browser, "student@westvalley.edu");
  const studentForms = watchForHubLoginForms(student);
  await student.goto(`/join/${code}`);
  await student.getByRole("button", { name: "Join CS 220" }).click();
  await expect(student.getByTestId("join-outcome")).toContainText("You are enrolled");
  await student.goto("/");
  await student.getByTestId(`my-hub-${courseSlug}`).getByTestId("launch-hub").click();
  await expect(student).toHaveURL(/\/user\/jordan-lee\//, { timeout: 90_000 });
  await expect(student).toHaveTitle(/Jupyter|Home/);
  await expect(student.locator('input[type="password"]')).toHaveCount(0);
  expect(studentForms).toEqual([]);
  // A student is not an admin of the hub.
  await student.goto(`${hubOrigin}/hub/home`);
  await expect(student.getByRole("link", { name: "Admin" })).toHaveCount(0);

  // Signing out of the portal ends single sign-on: the hub sends a new visit to the portal's
  // sign-in rather than letting the student in.
  await student.context().clearCookies({ name: /^jupyterhub-/ });
  await student.goto("/");
  await student.getByRole("button", { name: "Sign out" }).click();
  await expect(student.getByRole("link", { name: /Sign in/ }).first()).toBeVisible();
  await student.goto(`${hubOrigin}/hub/login`);
  await expect(student).toHaveURL(/\/signin\?callbackUrl=%2Foidc%2Finteraction%2F/);
});
