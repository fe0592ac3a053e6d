import { expect, test } from "@playwright/test";
import { pageFor } from "../support/sign-in";

const schedulePath = "/courses/wvc-data-101-fa26/schedule";

test("the instructor edits the schedule and asks for a window beyond the envelope; ops approve it and the plan holds it", async ({
  browser,
}) => {
  const instructor = await pageFor(browser, "prof.rivera@westvalley.edu");
  await instructor.goto(schedulePath);
  await expect(instructor.getByTestId("course-time-zone")).toHaveText("America/Los_Angeles");
  // The course's last day, where the new date and window go (they must be within the course).
  const summary = (await instructor.getByTestId("schedule-summary").textContent()) ?? "";
  const lastDay = /to (\d{4}-\d{2}-\d{2})/.exec(summary)?.[1] ?? "";
  // The window goes on tomorrow (in the course's zone), inside the week the plan chart shows.
  const tomorrow = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Los_Angeles" }).format(
    new Date(Date.now() + 86_400_000),
  );
  const windowDay = tomorrow < lastDay ? tomorrow : lastDay;
  const planChart = instructor.getByTestId("hub-plan-chart").first();
  await expect(planChart).toBeVisible();
  const peakBefore = Number(await planChart.getAttribute("data-planned-peak"));
  expect(peakBefore).toBeLessThan(300);

  // Weekly meetings: move Monday's lecture to 09:30.
  const meetings = instructor.getByTestId("meetings");
  await meetings.getByTestId("meeting-row").first().getByLabel("Starts at").fill("09:30");
  await meetings.getByRole("button", { name: "Save meetings" }).click();
  await expect(meetings.getByRole("status")).toHaveText("Saved");

  // An important date, typed in the course's zone.
  const dates = instructor.getByTestId("important-dates");
  await dates.getByLabel("Kind").selectOption("DEADLINE");
  await dates.getByLabel("Title").fill("Project 2");
  await dates.getByLabel(/^Starts/).fill(`${lastDay}T17:00`);
  await dates.getByRole("button", { name: "Add date" }).click();
  await expect(dates.getByTestId("important-date").filter({ hasText: "Project 2" })).toContainText(
    "17:00",
  );

  // A window beyond the envelope (60 expected at once × 5/4 = 75 seats); bad input first.
  const windows = instructor.getByTestId("capacity-windows");
  const form = windows.getByRole("form", { name: "Ask for a capacity window" });
  await form.getByLabel("What for").fill("Final review session");
  await form.getByLabel(/^From/).fill(`${windowDay}T10:00`);
  await form.getByLabel("Until").fill(`${windowDay}T12:00`);
  await form.getByLabel("Seats").fill("0");
  await form.getByRole("button", { name: "Ask for the window" }).click();
  await expect(form.getByRole("alert")).toContainText("At least 1 seat");
  await form.getByLabel("Seats").fill("300");
  await form.getByRole("button", { name: "Ask for the window" }).click();
  await expect(form.getByRole("status")).toContainText("Sent to the federation's operators");
  await expect(form.getByRole("status")).toContainText("300 seats is more than the approved 75");
  const window = windows.getByTestId("capacity-window").filter({ hasText: "Final review session" });
  await expect(window.getByTestId("window-status")).toHaveText("Waiting for ops");
  await expect(window).toContainText("$");

  // The TA reads the schedule but cannot change it.
  const ta = await pageFor(browser, "ta.chen@westvalley.edu");
  await ta.goto(schedulePath);
  await expect(
    ta.getByTestId("capacity-window").filter({ hasText: "Final review session" }),
  ).toBeVisible();
  await expect(ta.getByRole("button", { name: "Save meetings" })).toHaveCount(0);
  await expect(ta.getByRole("form", { name: "Ask for a capacity window" })).toHaveCount(0);

  // Ops see it waiting, with its cost, and approve it.
  const ops = await pageFor(browser, "ops@hubfed.example");
  await ops.goto("/");
  await expect(ops.getByTestId("operator-tasks")).toContainText("capacity window");
  await ops.goto("/ops/capacity");
  await expect(ops.getByTestId("cluster-plan").first()).toBeVisible();
  await expect(ops.getByTestId("cluster-plan-chart").first()).toBeVisible();
  const pending = ops.getByTestId("pending-window").filter({ hasText: "Final review session" });
  await expect(pending).toContainText("300 seats");
  await pending.getByRole("button", { name: "Approve window" }).click();
  await expect(pending).toHaveCount(0);

  await instructor.reload();
  await expect(window.getByTestId("window-status")).toHaveText("Approved");
  await expect(window).toContainText("Decided by");
  // The plan now holds the window's 300 seats.
  await expect(instructor.getByTestId("hub-plan-chart").first()).toHaveAttribute(
    "data-planned-peak",
    "300",
  );
});
