import { expect, test } from "@playwright/test";
import { createCourseWithLocalHub, type LocalHubCourse } from "../support/local-hub-course";
import { pageFor } from "../support/sign-in";

// Issue 6's acceptance journey: an instructor publishes a content link to a
// test repository (checked through the fake GitHub the test run starts), a
// student clicks /i/<code>, signs in, and lands on the notebook in their
// own server on a real local JupyterHub, with the repository cloned by
// nbgitpuller (from the run's local git copy of github.com/westvalley-data/labs).
//
// The course and its local hub are made for this journey alone, so it does
// not depend on other journeys' hubs.

const courseSlug = "wvc-links-e2e";
const instructorEmail = "prof.rivera@westvalley.edu";
const studentEmail = "student@westvalley.edu";

const course = {
  slug: courseSlug,
  code: "DATA 102",
  title: "Data in Practice",
  institution: "west-valley",
  allowList: ["github.com/westvalley-data"],
  people: [
    [instructorEmail, "INSTRUCTOR"],
    [studentEmail, "STUDENT"],
  ],
} satisfies LocalHubCourse;

test("an instructor publishes a link; a student clicks it, signs in and lands on the cloned notebook in their hub", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  await createCourseWithLocalHub(course);

  // The instructor publishes: the builder refuses a missing file with the field's own message,
  // then publishes the real one, checked through GitHub.
  const instructor = await pageFor(browser, instructorEmail);
  await instructor.goto(`/courses/${courseSlug}/links`);
  await instructor.getByLabel("Title").fill("Lab 1: tables");
  await instructor.getByLabel("Repository (HTTPS)").fill("https://github.com/westvalley-data/labs");
  await instructor.getByLabel("Branch").fill("main");
  await instructor.getByLabel("File or folder in the repository").fill("lab09/missing.ipynb");
  await instructor.getByLabel("Open in").selectOption("CLASSIC");
  await instructor.getByRole("button", { name: "Publish link" }).click();
  await expect(instructor.locator("#link-path-error")).toContainText("not found");
  await instructor.getByLabel("File or folder in the repository").fill("lab01/lab01.ipynb");
  await instructor.getByRole("button", { name: "Publish link" }).click();
  await expect(instructor.getByRole("status")).toContainText("Published at /i/");
  const published = instructor.getByTestId("content-link").first();
  await expect(published).toContainText("Lab 1: tables");
  await expect(published.getByRole("img", { name: /QR code/ }).locator("svg")).toBeVisible();
  const code = (await published.getAttribute("data-code")) ?? "";
  expect(code).toMatch(/^[a-z0-9]{8}$/);

  // The student, signed out, clicks the short link.
  const context = await browser.newContext();
  const student = await context.newPage();
  await student.goto(`/i/${code}`);
  await expect(student).toHaveURL(/\/signin\?callbackUrl=%2Fi%2F/);
  await student.getByLabel("Email").fill(studentEmail);
  await student.getByRole("button", { name: "Sign in", exact: true }).click();

  // Back to the link, on to the hub (which signs them in at the portal), a spawn, the pull,
  // and the notebook itself.
  await expect(student).toHaveURL(
    /\/user\/jordan-lee\/(notebooks|tree)\/labs\/lab01\/lab01\.ipynb/,
    {
      timeout: 180_000,
    },
  );
  await expect(student.locator("body")).toContainText("Lab 1: tables", { timeout: 60_000 });

  // The click is counted (folded by the worker within a minute).
  await expect
    .poll(
      async () => {
        await instructor.reload();
        return instructor
          .getByTestId("content-link")
          .first()
          .getByTestId("click-totals")
          .innerText();
      },
      { timeout: 90_000, intervals: [5000] },
    )
    .toMatch(/^[1-9]\d* clicks in all/);
  await context.close();
});
