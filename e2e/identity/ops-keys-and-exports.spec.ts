import { expect, test } from "@playwright/test";
import { signInAs } from "../support/sign-in";

// Operators' housekeeping screens: rotating the portal's signing key, and exporting the
// regions' hub files (no GitHub repository in the tests, so they are written to a directory).

test("ops rotate the signing key; the old key stays published for verification", async ({
  page,
}) => {
  await signInAs(page, "ops@hubfed.example");
  await page.getByRole("link", { name: "Sign-in" }).click();
  await expect(page).toHaveURL(/\/ops\/identity$/);
  const keys = page.getByTestId("signing-keys");
  const signingBefore =
    (await keys
      .locator("tr", { hasText: /signing$/ })
      .first()
      .textContent()) ?? "";
  await page.getByRole("button", { name: "Rotate signing key" }).click();
  await expect(keys.locator("tr", { hasText: "published for verification" }).first()).toBeVisible();
  const signingAfter =
    (await keys
      .locator("tr", { hasText: /signing$/ })
      .first()
      .textContent()) ?? "";
  expect(signingAfter).not.toBe(signingBefore);
  // Secrets never reach the browser: the institution forms show only whether one is set.
  // Cascade's demo provider has a secret set: the form says so and shows nothing of it.
  await expect(page.getByText("(set; leave empty to keep it)").first()).toBeVisible();
  for (const input of await page.locator('input[name="clientSecret"]').all())
    await expect(input).toHaveValue("");
  expect(await page.content()).not.toMatch(/oidcClientSecretEncrypted|v[12]\.[\w-]{8,}\./);
});

test("ops export the regions' hub files on demand and see the result", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAs(page, "ops@hubfed.example");
  await page.goto("/ops");
  const exports = page.getByTestId("gitops-exports");
  await exports.getByRole("button", { name: "Export now" }).click();
  await expect(exports.getByRole("status")).toContainText("Export queued");
  await expect(exports.getByText(/files written|unchanged/).first()).toBeVisible({
    timeout: 60_000,
  });
});
