import { expect, test } from "@playwright/test";
import { pageFor } from "../support/sign-in";

test("an instructor asks for more storage on a running hub; ops approve the change", async ({
  browser,
}) => {
  const instructor = await pageFor(browser, "prof.rivera@westvalley.edu");
  await instructor.goto("/ops/hubs/wvc-data-101-fa26");
  const form = instructor.locator("form", { hasText: "Request a change" });
  await form.getByLabel("What to change").selectOption("storage");
  // Storage can only grow: a smaller size is refused on its field.
  await form.getByLabel(/Storage per student/).fill("5");
  await form.getByLabel("Why").fill("Datasets for the final project");
  await form.getByRole("button", { name: "Send for review" }).click();
  await expect(form.getByRole("alert")).toContainText("must be more than the current 10 GiB");
  await form.getByLabel(/Storage per student/).fill("20");
  await form.getByRole("button", { name: "Send for review" }).click();
  await expect(instructor).toHaveURL(/\/requests\/[a-z0-9]+$/);
  await expect(instructor.getByTestId("request-status")).toHaveText("Submitted");
  const requestId = instructor.url().split("/").pop() ?? "";

  const ops = await pageFor(browser, "ops@hubfed.example");
  await ops.goto(`/ops/requests/${requestId}`);
  await ops.getByRole("button", { name: "Approve the change" }).click();
  await expect(ops.getByTestId("request-status")).toHaveText("Approved");
});
