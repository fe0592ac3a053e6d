import { expect, test } from "@playwright/test";
import { pageFor } from "../support/sign-in";

// The hub request journey: an instructor requests a hub, ops ask for a change,
// the instructor fixes it and resubmits, ops approve with a credit pool, and
// the hub appears as PENDING with its hold.

const courseTitle = 'Data <b>Science</b> <img src=x onerror="window.__injected=1">';

test("request, ask for changes, resubmit, approve: the hub is pending and the hold is visible", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const instructor = await pageFor(browser, "prof.rivera@westvalley.edu");

  await instructor.goto("/request");
  await instructor.getByLabel("Institution name").fill("West Valley College");
  await instructor.getByRole("button", { name: "Add a contact" }).click();
  await instructor.getByLabel("Contact name").fill("Ana Rivera");
  await instructor.getByLabel("Contact email").fill("prof.rivera@westvalley.edu");
  await instructor.getByLabel("Contact role").fill("Faculty");
  await instructor.getByRole("button", { name: "Next" }).click();

  await instructor.getByLabel("Course code").fill("DATA 140");
  await instructor.getByLabel("Course title").fill(courseTitle);
  await instructor.getByLabel("Term").fill("Spring 2027");
  await instructor.getByLabel("Start date").fill("2027-01-25");
  // One bad value: the course ends before it starts. The error shows on the field at once.
  await instructor.getByLabel("End date").fill("2027-01-10");
  await expect(instructor.locator('[data-field-error="course.endDate"]')).toHaveText(
    "End date must be after the start date",
  );
  await instructor.getByLabel("End date").fill("2027-05-21");
  await expect(instructor.locator('[data-field-error="course.endDate"]')).toHaveCount(0);
  await instructor.getByRole("button", { name: "Next" }).click();

  await instructor.getByRole("button", { name: "Add a weekly meeting" }).click();
  await instructor.getByRole("button", { name: "Next" }).click();

  await instructor.getByLabel("Expected enrollment").fill("50");
  await instructor.getByLabel("Students at the same time").fill("30");
  await instructor.getByRole("button", { name: "Next" }).click();

  await instructor.getByLabel("Sign-in for students").selectOption("google");
  await instructor.getByRole("button", { name: "Next" }).click();

  await instructor.getByLabel("Preferred region").selectOption("us-west");
  await instructor.getByLabel("Preferred cloud (optional)").selectOption("aws");
  await expect(instructor.getByTestId("estimate-total")).toContainText("$");
  await expect(instructor.getByTestId("estimate-per-student")).toContainText(
    "per student per month",
  );
  await expect(instructor.getByTestId("save-state")).toHaveText("Draft saved");
  await instructor.getByRole("button", { name: "Submit for review" }).click();

  await expect(instructor).toHaveURL(/\/requests\/[a-z0-9]+$/);
  await expect(instructor.getByTestId("request-status")).toHaveText("Submitted");
  // Markup typed into the form is shown as text and never runs.
  await expect(instructor.getByRole("heading", { level: 1 })).toContainText("<b>Science</b>");
  expect(
    await instructor.evaluate(() => (window as unknown as { __injected?: number }).__injected),
  ).toBeUndefined();
  const requestUrl = instructor.url();
  const requestId = requestUrl.split("/").pop() ?? "";

  // Ops find it in the queue and ask for a change.
  const ops = await pageFor(browser, "ops@hubfed.example");
  await ops.goto("/ops");
  await ops
    .getByTestId("request-queue")
    .getByRole("link", { name: /DATA 140/ })
    .click();
  await expect(ops).toHaveURL(new RegExp(`/ops/requests/${requestId}$`));
  await ops
    .getByLabel("Message for asking changes or declining")
    .fill("Please plan for 60 students: the course is cross-listed.");
  await ops.getByRole("button", { name: "Ask for changes" }).click();
  await expect(ops.getByTestId("request-status")).toHaveText("Changes requested");

  // The instructor sees the message, edits and resubmits.
  await instructor.reload();
  await expect(instructor.getByTestId("request-status")).toHaveText("Changes requested");
  await expect(instructor.getByTestId("request-comments")).toContainText(
    "Please plan for 60 students",
  );
  await instructor.getByRole("link", { name: "Edit and resubmit" }).click();
  await instructor.getByRole("button", { name: "4. Students & resources" }).click();
  await instructor.getByLabel("Expected enrollment").fill("60");
  await instructor.getByRole("button", { name: "6. Placement & review" }).click();
  await instructor.getByRole("button", { name: "Resubmit for review" }).click();
  await expect(instructor).toHaveURL(requestUrl);
  await expect(instructor.getByTestId("request-status")).toHaveText("Submitted");

  // Ops approve on the AWS cluster with the AWS pool.
  await ops.reload();
  const cluster = ops.getByLabel("Cluster");
  const clusterValue = await cluster
    .locator("option", { hasText: "AWS EKS" })
    .getAttribute("value");
  await cluster.selectOption(clusterValue ?? "");
  await expect(ops.getByTestId("approval-preview")).toContainText("the hold will be");
  const pool = ops.getByLabel("Credit pool");
  const poolValue = await pool
    .locator("option", { hasText: "AWS Cloud Credit" })
    .getAttribute("value");
  await pool.selectOption(poolValue ?? "");
  await ops.getByRole("button", { name: "Approve and create the hub" }).click();
  await expect(ops.getByTestId("request-status")).toHaveText("Approved");

  // The hub is PENDING and the hold on the pool is visible to the requester.
  await instructor.reload();
  await expect(instructor.getByTestId("request-status")).toHaveText("Approved");
  // Approval creates the hub PENDING and queues its provisioning, which may already have started.
  await expect(instructor.getByTestId("hub-status")).toHaveText(/^(pending|provisioning|ready)$/);
  await expect(instructor.getByTestId("hold")).toContainText("AWS Cloud Credit for Research 2026");
  await expect(instructor.getByTestId("hold")).toContainText("held");
  await expect(instructor.getByTestId("request-history")).toContainText("Changes requested");
  await expect(instructor.getByTestId("notifications-link")).toContainText("Notifications");
});

test("the API answers bad input with field errors and a wrong content type with a client error", async ({
  browser,
}) => {
  const instructor = await pageFor(browser, "prof.rivera@westvalley.edu");
  const wrongType = await instructor.request.post("/api/trpc/request.saveDraft", {
    data: "draft=1",
    headers: { "content-type": "text/plain" },
  });
  expect(wrongType.status()).toBeGreaterThanOrEqual(400);
  expect(wrongType.status()).toBeLessThan(500);

  const badDraft = await instructor.request.post("/api/trpc/request.saveDraft", {
    data: {
      json: {
        draft: {
          audience: { expectedEnrollment: -3 },
          course: { startDate: "2027-13-45", title: "x".repeat(500) },
        },
      },
    },
  });
  expect(badDraft.status()).toBe(400);
  const body = (await badDraft.json()) as {
    error: { json: { data: { fieldErrors: Record<string, string[]> } } };
  };
  expect(Object.keys(body.error.json.data.fieldErrors).sort()).toEqual([
    "draft.audience.expectedEnrollment",
    "draft.course.startDate",
    "draft.course.title",
  ]);
});

test("a student cannot open the operations console", async ({ browser }) => {
  const student = await pageFor(browser, "student@westvalley.edu");
  await student.goto("/ops");
  await expect(student.getByRole("alert").filter({ hasText: "Not allowed" })).toBeVisible();
  const queue = await student.request.get(
    `/api/trpc/request.queue?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`,
  );
  expect(queue.status()).toBe(403);
});
