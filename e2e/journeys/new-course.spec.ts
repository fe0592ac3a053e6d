import { expect, test, type Browser, type Page } from "@playwright/test";
import { signInAs } from "../support/sign-in";

// Issue 12's acceptance journey, on a brand-new course rather than the seed:
// an instructor fills a request over two visits (the first on a phone, with
// a contact row left incomplete) and loses nothing; ops approve it onto the
// Portal VM; the instructor keeps the course's allowed repositories and
// publishes a link; a brand-new student, on a phone, joins by code from the
// home page and lands on the notebook through the link.
//
// Screenshots of each person's pages, at desktop and phone widths, go to the
// test output (test-results/), not into the repository.

const phone = { width: 375, height: 740 };
const desktop = { width: 1280, height: 900 };
const courseCode = `CS ${130 + (Date.now() % 60)}`;
const courseTitle = "Data Wrangling in Python";

const shot = (page: Page, name: string) =>
  page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });

async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${page.url()} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
}

async function pageAt(browser: Browser, viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport });
  return context.newPage();
}

test("a new course from request to a student's notebook, losing nothing, on a phone too", async ({
  browser,
}) => {
  test.setTimeout(420_000);

  // 1. First visit, on a phone: a contact row is left incomplete.
  const firstVisit = await pageAt(browser, phone);
  await signInAs(firstVisit, "prof.okafor@cascade.edu");
  await firstVisit.goto("/");
  await expectNoSidewaysScroll(firstVisit);
  await shot(firstVisit, "instructor-home-phone");
  await firstVisit.getByRole("link", { name: "Request a hub" }).click();
  await firstVisit.getByLabel("Institution name").fill("Cascade Community College");
  await firstVisit.getByRole("button", { name: "Add a contact" }).click();
  await firstVisit.getByRole("button", { name: "2. Course" }).click();
  await firstVisit.getByLabel("Course code").fill(courseCode);
  await firstVisit.getByLabel("Course title").fill(courseTitle);
  await firstVisit.getByLabel("Term").fill("Winter 2027");
  await firstVisit.getByLabel("Start date").fill("2026-11-30");
  await firstVisit.getByLabel("End date").fill("2027-04-30");
  // The incomplete contact is withheld, the rest is saved, and the page says so.
  await expect(firstVisit.getByTestId("save-state")).toContainText(
    "Draft saved, except 1 field that needs fixing",
  );
  await expectNoSidewaysScroll(firstVisit);
  await shot(firstVisit, "instructor-request-phone");
  await firstVisit.context().close();

  // 2. Second visit, on a desktop: the draft is on the home page with everything typed.
  const instructor = await pageAt(browser, desktop);
  await signInAs(instructor, "prof.okafor@cascade.edu");
  await instructor.goto("/");
  await instructor
    .getByTestId("my-open-requests")
    .getByRole("link", { name: `${courseCode}: ${courseTitle}` })
    .click();
  await expect(instructor.getByLabel("Institution name")).toHaveValue("Cascade Community College");
  await instructor.getByRole("button", { name: "Add a contact" }).click();
  await instructor.getByLabel("Contact name").fill("Chidi Okafor");
  await instructor.getByLabel("Contact email").fill("prof.okafor@cascade.edu");
  await instructor.getByLabel("Contact role").fill("Faculty");
  await instructor.getByRole("button", { name: "Next" }).click();
  await expect(instructor.getByLabel("Course code")).toHaveValue(courseCode);
  await expect(instructor.getByLabel("End date")).toHaveValue("2027-04-30");
  await instructor.getByRole("button", { name: "Next" }).click();
  await instructor.getByRole("button", { name: "Add a weekly meeting" }).click();
  await instructor.getByRole("button", { name: "Next" }).click();
  // Next checks its step: an invalid enrollment stops it, with the reason on the field.
  await instructor.getByLabel("Expected enrollment").fill("0");
  await instructor.getByLabel("Students at the same time").fill("20");
  await instructor.getByRole("button", { name: "Next" }).click();
  await expect(instructor.getByTestId("step-errors")).toBeVisible();
  await instructor.getByLabel("Expected enrollment").fill("25");
  await instructor.getByRole("button", { name: "Next" }).click();
  await instructor
    .getByLabel("Where your course material lives (GitHub)")
    .fill("github.com/cascade-cs");
  await instructor.getByLabel("Sign-in for students").selectOption("google");
  await instructor.getByRole("button", { name: "Next" }).click();
  await instructor.getByLabel("Preferred region").selectOption("local");
  await expect(instructor.getByTestId("request-summary")).toContainText(courseTitle);
  await expect(instructor.getByTestId("request-summary")).toContainText("github.com/cascade-cs");
  await expect(instructor.getByTestId("save-state")).toHaveText("Draft saved");
  await shot(instructor, "instructor-request-summary-desktop");
  await instructor.getByRole("button", { name: "Submit for review" }).click();
  await expect(instructor).toHaveURL(/\/requests\/[a-z0-9]+$/);
  await expect(instructor.getByTestId("request-status")).toHaveText("Submitted");
  const requestUrl = instructor.url();

  // 3. Ops see what they approve and approve it onto the Portal VM.
  const ops = await pageAt(browser, desktop);
  await signInAs(ops, "ops@hubfed.example");
  await ops.goto("/");
  await expect(ops.getByTestId("operator-tasks")).toContainText("to review");
  await shot(ops, "ops-home-desktop");
  await ops.goto("/ops");
  await ops
    .getByTestId("request-queue")
    .getByRole("link", { name: new RegExp(courseCode) })
    .click();
  const review = ops.getByTestId("request-review");
  await expect(review).toContainText("Chidi Okafor");
  await expect(review).toContainText("github.com/cascade-cs");
  await expect(review).toContainText("25 students");
  const cluster = ops.getByLabel("Cluster");
  await cluster.selectOption(
    (await cluster.locator("option", { hasText: "Portal VM" }).first().getAttribute("value")) ?? "",
  );
  const pool = ops.getByLabel("Credit pool");
  // Only pools that can pay for the chosen cluster are offered.
  await expect(pool.locator("option", { hasText: "AWS" })).toHaveCount(0);
  await pool.selectOption(
    (await pool.locator("option", { hasText: "Cascade on the Portal VM" }).getAttribute("value")) ??
      "",
  );
  await shot(ops, "ops-review-desktop");
  await ops.getByRole("button", { name: "Approve and create the hub" }).click();
  await expect(ops.getByTestId("request-status")).toHaveText("Approved");

  // 4. The hub comes up; the instructor keeps the allowed repositories and publishes a link.
  await instructor.goto(requestUrl);
  await expect
    .poll(
      async () => {
        await instructor.reload();
        return instructor.getByTestId("hub-status").innerText();
      },
      { timeout: 120_000, intervals: [2000] },
    )
    .toMatch(/ready/i);
  await instructor.goto("/");
  const card = instructor.locator('[data-testid^="my-hub-"]', { hasText: courseTitle });
  await card.getByRole("link", { name: "Course page" }).click();
  await expect(instructor).toHaveURL(/\/courses\/[a-z0-9-]+$/);
  const courseUrl = new URL(instructor.url());
  const courseSlug = courseUrl.pathname.split("/")[2] ?? "";
  expect(courseSlug).toMatch(/^[a-z0-9-]+$/);
  await expect(instructor.getByTestId("course-schedule")).toContainText("Monday");
  await shot(instructor, "instructor-course-desktop");
  await instructor.getByRole("button", { name: "Create join code" }).click();
  const joinCode =
    (
      await instructor.getByTestId("join-code-row").first().getByTestId("join-code").textContent()
    )?.trim() ?? "";
  expect(joinCode).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}$/);

  await instructor.goto(`/courses/${courseSlug}/links`);
  const allowList = instructor.getByTestId("allow-list");
  await expect(allowList.getByLabel(/One a line/)).toHaveValue("github.com/cascade-cs");
  await allowList
    .getByLabel(/One a line/)
    .fill("github.com/cascade-cs/cs120\ngitlab.com/elsewhere");
  await allowList.getByRole("button", { name: "Save allowed repositories" }).click();
  await expect(allowList.getByRole("alert")).toContainText(
    "gitlab.com/elsewhere: must be on github.com",
  );
  await allowList.getByLabel(/One a line/).fill("github.com/cascade-cs/cs120");
  await allowList.getByRole("button", { name: "Save allowed repositories" }).click();
  await expect(allowList.getByRole("status")).toContainText("github.com/cascade-cs/cs120");
  await instructor.getByLabel("Title").fill("Week 1: first steps");
  await instructor.getByLabel("Repository (HTTPS)").fill("https://github.com/cascade-cs/cs120");
  await instructor.getByLabel("Branch").fill("main");
  await instructor.getByLabel("File or folder in the repository").fill("week1/intro.ipynb");
  await instructor.getByLabel("Open in").selectOption("CLASSIC");
  await instructor.getByRole("button", { name: "Publish link" }).click();
  await expect(instructor.getByRole("status").last()).toContainText("Published at /i/");
  await shot(instructor, "instructor-links-desktop");

  // 5. A brand-new student, on a phone: campus sign-in, join by code from home, the link, the notebook.
  const student = await pageAt(browser, phone);
  const username = `new.student${Date.now() % 100_000}`;
  await student.goto("/signin");
  await student.getByRole("button", { name: "Sign in with Cascade Community College" }).click();
  await student.getByLabel("Campus username").fill(username);
  await student.getByRole("button", { name: "Sign in" }).click();
  await expect(student.getByTestId("signed-in-as")).toBeVisible();
  await student.goto("/");
  await expect(student.getByTestId("get-started")).toBeVisible();
  await expectNoSidewaysScroll(student);
  await shot(student, "new-student-home-phone");
  await student.getByLabel("Join code").fill(joinCode);
  await student.getByRole("button", { name: "Join", exact: true }).click();
  await student.getByRole("button", { name: `Join ${courseCode}` }).click();
  // Joined, the student is sent back where they came from: their home, with the course on it.
  await expect(student).toHaveURL(/\/$/);
  const studentCard = student.getByTestId(`my-hub-${courseSlug}`);
  await expect(studentCard.getByTestId("hub-status")).toHaveText("Ready");
  await expectNoSidewaysScroll(student);
  await shot(student, "student-home-phone");
  await studentCard.getByRole("link", { name: "Week 1: first steps" }).click();
  await expect(student).toHaveURL(/\/user\/[^/]+\/(notebooks|tree)\/cs120\/week1\/intro\.ipynb/, {
    timeout: 180_000,
  });
  await expect(student.locator("body")).toContainText("CS 120, week 1", { timeout: 60_000 });
  await shot(student, "student-notebook-phone");
});
