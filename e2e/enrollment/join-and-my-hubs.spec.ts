import { expect, test } from "@playwright/test";
import pg from "pg";
import { newStudentEmail } from "../support/accounts";
import { pageFor } from "../support/sign-in";

// An instructor hands out a join code; a brand-new student signs in, joins,
// and finds the course on My hubs with its hub's status and a launch button.
// Then the instructor imports a roster with one bad row and sees that row's
// error in the preview before anything is imported.

const courseSlug = "wvc-data-101-fa26";

/**
 * A person who has never used Hubfed: an account as a first sign-in through
 * their institution would create it (the development sign-in only signs in
 * existing accounts).
 */
async function createNewStudent(email: string): Promise<void> {
  const databaseUrl = process.env.E2E_DATABASE_URL;
  if (!databaseUrl) throw new Error("E2E_DATABASE_URL is not set (run through npm test)");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "User" (id, email, name, username, "emailVerified", "updatedAt")
       VALUES ($1, $2, 'Riley New', $3, now(), now())`,
      [`e2e-${Date.now()}`, email, email.split("@")[0]?.replace(/[^a-z0-9]+/g, "-")],
    );
  } finally {
    await client.end();
  }
}

test("a student joins with a code and sees the course on My hubs; a roster preview shows a bad row", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const instructor = await pageFor(browser, "prof.rivera@westvalley.edu");
  await instructor.goto("/");
  await instructor
    .getByRole("link", { name: /DATA 101: Foundations of Data Science/ })
    .first()
    .click();
  await expect(instructor.getByTestId("course-heading")).toHaveText(
    "DATA 101: Foundations of Data Science",
  );
  await instructor.getByLabel("Most uses (optional)").fill("50");
  await instructor.getByRole("button", { name: "Create join code" }).click();
  const newest = instructor.getByTestId("join-code-row").first();
  await expect(newest).toContainText("0 of 50");
  const code = (await newest.getByTestId("join-code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}$/);

  // The student opens the join link signed out, signs in, and comes back to it.
  // A test run allow-lists this account for the development sign-in (support/accounts.ts).
  const email = newStudentEmail;
  await createNewStudent(email);
  const context = await browser.newContext();
  const student = await context.newPage();
  await student.goto(`/join/${code}`);
  await expect(student).toHaveURL(/\/signin\?callbackUrl=/);
  await student.getByLabel("Email").fill(email);
  await student.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(student).toHaveURL(new RegExp(`/join/${code}$`));
  await expect(student.getByTestId("join-course")).toHaveText(
    "DATA 101: Foundations of Data Science",
  );
  await student.getByRole("button", { name: "Join DATA 101" }).click();
  await expect(student.getByTestId("join-outcome")).toContainText(
    "You are enrolled in this course as a student",
  );

  await student.goto("/");
  const card = student.getByTestId(`my-hub-${courseSlug}`);
  await expect(card).toContainText("DATA 101: Foundations of Data Science");
  await expect(card).toContainText("West Valley College");
  await expect(card).toContainText("US West");
  await expect(card.getByTestId("hub-status")).toHaveText(
    /Ready|Simulated|Being set up|Updating|Having problems|Being repaired|Suspended/,
  );
  const launch = card.getByTestId("launch-hub");
  await expect(launch).toHaveAttribute("href", `/courses/${courseSlug}/launch`);
  await expect(launch).toHaveText(/Launch|Check status|About this hub/);

  // The join counted once; joining again changes nothing.
  await student.goto(`/join/${code}`);
  await expect(student.getByTestId("join-outcome")).toContainText("You are enrolled");
  await instructor.reload();
  await expect(instructor.getByTestId("join-code-row").first()).toContainText("1 of 50");

  // Roster import: one good row, one bad email; the preview names the bad row.
  await instructor.getByRole("link", { name: "Roster" }).click();
  await expect(instructor.getByTestId("roster")).toContainText(email);
  // The search runs over the whole course on the server, and stays in the address.
  await instructor.getByLabel("Find someone").fill(email);
  await instructor.getByRole("button", { name: "Find" }).click();
  await expect(instructor).toHaveURL(/search=/);
  await expect(instructor.getByTestId("roster-row")).toHaveCount(1);
  await expect(instructor.getByTestId("pager-summary")).toHaveText("Showing 1–1 of 1 people");
  await instructor.screenshot({ path: test.info().outputPath("roster.png"), fullPage: true });
  await instructor.getByLabel("Find someone").fill("");
  await instructor.getByRole("button", { name: "Find" }).click();
  const importedEmail = `casey.csv.${Date.now()}@westvalley.edu`;
  await instructor
    .getByLabel("Roster CSV")
    .fill(`email,name\n${importedEmail},Casey Csv\nnot-an-email,Broken Row\n`);
  await instructor.getByRole("button", { name: "Preview" }).click();
  const preview = instructor.getByTestId("roster-preview");
  await expect(preview.locator('[data-outcome="create-and-enroll"]')).toContainText(importedEmail);
  const badRow = preview.locator('[data-outcome="error"]');
  await expect(badRow).toContainText("3");
  await expect(badRow.getByTestId("row-error")).toHaveText(
    '"not-an-email" is not an email address',
  );
  await instructor.getByRole("button", { name: "Import 1 person" }).click();
  await expect(instructor.getByTestId("import-result")).toContainText(
    "Enrolled 1 (1 new accounts)",
  );
  await expect(instructor.getByTestId("import-result")).toContainText("Line 3");
  await expect(instructor.getByTestId("roster")).toContainText(importedEmail);
  await context.close();
});
