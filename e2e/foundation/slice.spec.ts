import { expect, test } from "@playwright/test";
import { signInAs } from "../support/sign-in";

test("a visitor sees the landing page and the way to sign in", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "A hub of hubs for course JupyterHubs",
  );
  await page.getByRole("link", { name: "Sign in" }).first().click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByText("Development sign-in.")).toBeVisible();
});

test("an operator signs in and sees the regions through tRPC", async ({ page }) => {
  await signInAs(page, "ops@hubfed.example");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Olivia Operator");
  await expect(page.getByTestId("my-roles")).toContainText("ops");
  const regions = page.getByTestId("regions");
  await expect(regions).toContainText("us-west");
  await expect(regions).toContainText("local");
  await expect(regions).toContainText("r5.xlarge");
  await expect(regions).toContainText("$0.252/h");
});

test("a student sees their courses and is refused the operators' procedure", async ({ page }) => {
  await signInAs(page, "student@westvalley.edu");
  await expect(page.getByTestId("my-courses-list")).toContainText(
    "DATA 101: Foundations of Data Science",
  );
  await expect(page.getByTestId("my-courses-list")).toContainText("CS 120");
  await expect(page.getByTestId("my-roles")).toHaveText("Your roles: student");
  await expect(page.getByTestId("regions")).toHaveCount(0);

  const response = await page.request.get("/api/trpc/region.list");
  expect(response.status()).toBe(403);
  const body = (await response.json()) as { error: { json: { data: { code: string } } } };
  expect(body.error.json.data.code).toBe("FORBIDDEN");
});

test("a visitor is refused signed-in procedures", async ({ request }) => {
  const response = await request.get("/api/trpc/me.get");
  expect(response.status()).toBe(401);
});

test("an unknown email cannot sign in", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("nobody@nowhere.example");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "No account with that email" }),
  ).toBeVisible();
});

test("signing out ends the portal session", async ({ page }) => {
  await signInAs(page, "prof.rivera@westvalley.edu");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "A hub of hubs for course JupyterHubs",
  );
  expect((await page.request.get("/api/trpc/me.get")).status()).toBe(401);
});

test("health reports the database, Redis and the worker's heartbeat", async ({ request }) => {
  // The worker's first heartbeat may still be on its way when the suite starts.
  await expect
    .poll(async () => (await request.get("/api/health")).status(), {
      timeout: 30_000,
      intervals: [500],
    })
    .toBe(200);
  const health = (await (await request.get("/api/health")).json()) as Record<
    string,
    { isHealthy: boolean }
  > & { isHealthy: boolean };
  expect(health.isHealthy).toBe(true);
  expect(health.database?.isHealthy).toBe(true);
  expect(health.redis?.isHealthy).toBe(true);
  expect(health.worker?.isHealthy).toBe(true);
});
