import { expect, test, type Page } from "@playwright/test";

// Issue 11's acceptance journey: the README's five-minute tour, from the
// signed-out landing page, on the federation as `npm start` seeds it. The
// student reaches a running notebook with the linked material on CS 120's
// real hub (the Portal VM) with no manual step; DATA 101, on the simulated
// Kubernetes region, says so instead of sending anyone anywhere.
//
// Screenshots go to the test output (test-results/), not into the repository.

const shot = (page: Page, name: string) =>
  page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });

async function signInFromSignInPage(page: Page, email: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

test("the README tour: student, instructor and ops on the seeded demo", async ({ browser }) => {
  test.setTimeout(300_000);

  // 1. The student, from the signed-out landing page.
  const studentContext = await browser.newContext();
  const student = await studentContext.newPage();
  await student.goto("/");
  const tour = student.getByTestId("demo-tour");
  await expect(tour).toContainText("student@westvalley.edu");
  await expect(tour).toContainText("/i/cs120week1");
  await shot(student, "01-landing");
  await student.getByRole("link", { name: "Sign in" }).first().click();
  await expect(student).toHaveURL(/\/signin/);
  await signInFromSignInPage(student, "student@westvalley.edu");
  await student.goto("/");

  const cs120 = student.getByTestId("my-hub-ccc-cs-120-fa26");
  await expect(cs120.getByTestId("hub-status")).toHaveText("Ready");
  const data101 = student.getByTestId("my-hub-wvc-data-101-fa26");
  await expect
    .poll(
      async () => {
        await student.reload();
        return data101.getByTestId("hub-status").innerText();
      },
      { timeout: 90_000, intervals: [3000] },
    )
    .toBe("Simulated");
  await expect(data101).toContainText("simulated Kubernetes cluster");
  await shot(student, "02-student-my-hubs");

  // DATA 101 does not send the student to an address where nothing answers.
  await data101.getByRole("link", { name: "About this hub" }).click();
  await expect(student.getByTestId("hub-not-ready")).toContainText("simulated Kubernetes cluster");
  await expect(student.getByTestId("hub-not-ready")).not.toContainText("checks again");
  await student.goBack();

  // The link under CS 120: signed in to the hub through the portal, a server, the pull, the notebook.
  await cs120.getByRole("link", { name: "Week 1: first steps with Python" }).click();
  await expect(student).toHaveURL(
    /\/user\/jordan-lee\/(notebooks|tree)\/cs120\/week1\/intro\.ipynb/,
    { timeout: 180_000 },
  );
  await expect(student.locator("body")).toContainText("CS 120, week 1", { timeout: 60_000 });
  await expect(student.locator("body")).toContainText("sum(prices)");
  await shot(student, "03-student-notebook");
  await studentContext.close();

  // 2. The instructor sees the link and the click.
  const instructorContext = await browser.newContext();
  const instructor = await instructorContext.newPage();
  await instructor.goto("/signin");
  await signInFromSignInPage(instructor, "prof.okafor@cascade.edu");
  await instructor.goto("/courses/ccc-cs-120-fa26/links");
  const link = instructor.locator('[data-testid="content-link"][data-code="cs120week1"]');
  await expect(link).toContainText("Week 1: first steps with Python");
  await expect
    .poll(
      async () => {
        await instructor.reload();
        return link.getByTestId("click-totals").innerText();
      },
      { timeout: 90_000, intervals: [5000] },
    )
    .toMatch(/^[1-9]\d* clicks? in all/);
  await shot(instructor, "04-instructor-links");
  await instructorContext.close();

  // 3. Ops: their home counts the requests to review (CS 220's, unless another journey of this
  // run approved it already), /ops holds the queue, and CS 120's hub shows its runs.
  const opsContext = await browser.newContext();
  const ops = await opsContext.newPage();
  await ops.goto("/signin");
  await signInFromSignInPage(ops, "ops@hubfed.example");
  await ops.goto("/");
  await expect(ops.getByTestId("operator-tasks")).toContainText(/requests? to review/);
  await ops.goto("/ops");
  await expect(ops.getByTestId("request-queue")).toBeVisible();
  await shot(ops, "05-ops-queue");
  await ops.goto("/ops/hubs/ccc-cs-120-fa26");
  await expect(ops.getByTestId("hub-status")).toContainText(/ready/i);
  await shot(ops, "06-ops-hub");
  await opsContext.close();
});
