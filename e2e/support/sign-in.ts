import { expect, type Browser, type Page } from "@playwright/test";

/** Signs in with the development sign-in (enabled for the tests only). */
export async function signInAs(page: Page, email: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

/** A separate browser session for a second person in the same journey. */
export async function pageFor(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, email);
  return page;
}
