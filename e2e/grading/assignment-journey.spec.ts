import { expect, test, type Page } from "@playwright/test";
import { createCourseWithLocalHub, type LocalHubCourse } from "../support/local-hub-course";
import { pageFor } from "../support/sign-in";

// Issue 14's acceptance journey, on a real local JupyterHub: the instructor
// creates an assignment from the course's content repository (through the
// fake GitHub) and publishes it; the student opens its link, lands in the
// notebook in their own server with the assignment fetched into it, runs a
// check that fails, fixes the answer, sees the check pass and submits from
// the notebook; the worker grades it in the local sandbox; the grade appears
// on the student's page and in the instructor's gradebook, and the CSV has
// the row.

const instructorEmail = "prof.okafor@cascade.edu";
const studentEmail = "student@westvalley.edu";
const course = {
  slug: "ccc-grading-e2e",
  code: "CS 121",
  title: "Data Analysis Lab",
  institution: "cascade",
  allowList: ["github.com/cascade-cs"],
  people: [
    [instructorEmail, "INSTRUCTOR"],
    [studentEmail, "STUDENT"],
  ],
  isAutograderEnabled: true,
} satisfies LocalHubCourse;

/** The classic notebook's own API: run these cells and wait until the kernel is idle again. */
async function runCells(notebook: Page, indices: number[]): Promise<void> {
  await notebook.evaluate((cells) => {
    const jupyter = (
      window as unknown as { Jupyter: { notebook: { execute_cells(i: number[]): void } } }
    ).Jupyter;
    jupyter.notebook.execute_cells(cells);
  }, indices);
  // A running cell's prompt reads In [*]; the classic notebook sets it as execution starts.
  await notebook.waitForFunction(
    () =>
      Array.from(document.querySelectorAll(".code_cell .input_prompt")).every(
        (prompt) => !prompt.textContent?.includes("*"),
      ),
    undefined,
    { timeout: 60_000 },
  );
}

function outputOf(notebook: Page, cellIndex: number) {
  return notebook.locator(".cell").nth(cellIndex).locator(".output_wrapper");
}

test("an instructor publishes an assignment; a student checks, fixes, submits from the notebook, and the grade reaches both", async ({
  browser,
}) => {
  test.setTimeout(480_000);
  await createCourseWithLocalHub(course);

  // The instructor creates it from the repository folder, and publishes it.
  const instructor = await pageFor(browser, instructorEmail);
  await instructor.goto(`/courses/${course.slug}/assignments`);
  await instructor.getByLabel("Title").fill("Lab 1: names and functions");
  await instructor.getByLabel("Due", { exact: true }).fill("2030-05-01T23:59");
  await instructor.getByLabel("Points").fill("10");
  await instructor.getByLabel("Immediately").check();
  await instructor.getByLabel("From the course's content repository").check();
  await instructor.getByLabel("Repository URL").fill("https://github.com/cascade-cs/cs120");
  await instructor.getByLabel("Branch").fill("main");
  await instructor.getByLabel("Folder").fill("lab1");
  await instructor.getByRole("button", { name: "Create assignment" }).click();
  await expect(instructor.getByTestId("questions-table")).toContainText("q2", { timeout: 30_000 });
  await instructor.getByRole("button", { name: "Publish" }).click();
  const link = instructor.getByTestId("assignment-link").first();
  await expect(link).toBeVisible({ timeout: 30_000 });
  const href = (await link.getAttribute("href")) ?? "";
  expect(href).toMatch(/\/i\/[a-z0-9]{8}$/);

  // The student opens the link and lands in the fetched notebook on the course's hub.
  const student = await pageFor(browser, studentEmail);
  await student.goto(new URL(href, instructor.url()).pathname);
  await expect(student).toHaveURL(
    /\/user\/jordan-lee\/notebooks\/lab-1-names-and-functions\/lab1\.ipynb/,
    {
      timeout: 180_000,
    },
  );
  await student.waitForFunction(
    () =>
      (
        window as unknown as {
          Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } };
        }
      ).Jupyter?.notebook?.kernel?.is_connected() === true,
    undefined,
    { timeout: 60_000 },
  );
  await expect(student.locator(".cell").first()).toContainText("Lab 1: names and functions");

  // A check that fails, with the failing case…
  await runCells(student, [1, 3, 4]);
  await expect(outputOf(student, 4)).toContainText("q1: 1 of 1 public tests failed", {
    timeout: 30_000,
  });
  // …the answer fixed, and the same check passing.
  await student.evaluate(() => {
    const jupyter = (
      window as unknown as {
        Jupyter: { notebook: { get_cell(i: number): { set_text(text: string): void } } };
      }
    ).Jupyter;
    jupyter.notebook.get_cell(3).set_text("seconds_in_a_day = 24 * 60 * 60");
  });
  await runCells(student, [3, 4]);
  await expect(outputOf(student, 4)).toContainText("q1 passed all 1 public test");

  // Saved, then submitted from the notebook itself.
  await student.evaluate(() =>
    (
      window as unknown as { Jupyter: { notebook: { save_notebook(): Promise<void> } } }
    ).Jupyter.notebook.save_notebook(),
  );
  await runCells(student, [9]);
  await expect(outputOf(student, 9)).toContainText("Attempt 1", { timeout: 30_000 });

  // The grade on the student's assignment page: q1 right (public and hidden), q2 not done.
  await student.goto(`/courses/${course.slug}/assignments/lab-1-names-and-functions`);
  await expect
    .poll(
      async () => {
        await student.reload();
        return student.getByTestId("submission-status").first().getAttribute("data-status");
      },
      { timeout: 180_000, intervals: [3000] },
    )
    .toBe("GRADED");
  await expect(student.getByTestId("submission-score").first()).toContainText("5");

  // …and in the instructor's gradebook, and its CSV.
  await instructor.goto(`/courses/${course.slug}/gradebook`);
  const cell = instructor.getByTestId("gradebook-cell").first();
  await expect(cell).toHaveAttribute("data-status", "GRADED");
  await expect(cell).toContainText("5");
  const csv = await instructor.request.get(`/api/courses/${course.slug}/gradebook`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toMatch(/\njordan-lee,[^\n]*,5,1,0,graded\n/);
});
