import { expect, test } from "@playwright/test";

// Cascade Community College signs its people in with its own OpenID Connect provider (in the
// demo and the tests, a real oidc-provider standing in for the campus). Hubfed links the campus
// account to the existing person by verified email, or creates a new person.

test("a Cascade instructor signs in with the college's own provider and is their existing self", async ({
  page,
}) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in with Cascade Community College" }).click();
  await expect(
    page.getByRole("heading", { name: "Cascade Community College sign-in" }),
  ).toBeVisible();
  await page.getByLabel("Campus username").fill("prof.okafor");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText("chidi-okafor");
  // Their courses come with them: the account is the seeded instructor's, not a new one.
  await expect(page.getByRole("link", { name: /CS 120/ }).first()).toBeVisible();
});

test("someone new from Cascade gets an account of their own with a hub-safe username", async ({
  page,
}) => {
  const username = `new.learner${Date.now() % 100_000}`;
  await page.goto("/signin?callbackUrl=%2Fnotifications");
  await page.getByRole("button", { name: "Sign in with Cascade Community College" }).click();
  await page.getByLabel("Campus username").fill(username);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByTestId("signed-in-as")).toContainText(username.replace(".", "-"));
});
