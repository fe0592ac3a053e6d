import { expect, test } from "@playwright/test";
import { Queue } from "bullmq";
import pg from "pg";
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

async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const databaseUrl = process.env.E2E_DATABASE_URL;
  if (!databaseUrl) throw new Error("E2E_DATABASE_URL is not set (run through npm test)");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A course at West Valley with its instructor and student, and a hub on the local cluster, provisioned by the worker. */
async function createCourseWithLocalHub(): Promise<void> {
  const hubId = await withDatabase(async (client) => {
    const existing = await client.query<{ id: string }>(`SELECT id FROM "Hub" WHERE slug = $1`, [
      courseSlug,
    ]);
    if (existing.rows[0]) return existing.rows[0].id;
    const courseId = `e2e-course-${Date.now()}`;
    await client.query(
      `INSERT INTO "Course" (id, "institutionId", slug, code, title, term, "startDate", "endDate", timezone,
         "expectedEnrollment", "expectedConcurrentUsers", "contentRepositoryAllowList", "updatedAt")
       SELECT $1, id, $2, 'DATA 102', 'Data in Practice', 'Fall 2026', '2026-08-24', '2026-12-18',
         'America/Los_Angeles', 30, 10, ARRAY['github.com/westvalley-data'], now()
       FROM "Institution" WHERE slug = 'west-valley'`,
      [courseId, courseSlug],
    );
    for (const [email, role] of [
      [instructorEmail, "INSTRUCTOR"],
      [studentEmail, "STUDENT"],
    ] as const)
      await client.query(
        `INSERT INTO "Enrollment" (id, "userId", "courseId", role)
         SELECT $1, id, $2, $3::"CourseRole" FROM "User" WHERE email = $4`,
        [`e2e-enrollment-${role}-${Date.now()}`, courseId, role, email],
      );
    const hub = await client.query<{ id: string }>(
      `INSERT INTO "Hub" (id, slug, "courseId", "clusterId", status, "statusReason", spec, "updatedAt")
       SELECT $1, $2, $3, cluster.id, 'PENDING', 'Waiting to be provisioned', template.spec, now()
       FROM "Cluster" cluster, (SELECT spec FROM "Hub" ORDER BY "createdAt" LIMIT 1) template
       WHERE cluster.runtime = 'LOCAL'
       ORDER BY cluster.slug LIMIT 1
       RETURNING id`,
      [`e2e-hub-${Date.now()}`, courseSlug, courseId],
    );
    return hub.rows[0]!.id;
  });
  const redisUrl = new URL(process.env.E2E_REDIS_URL ?? "redis://127.0.0.1:6379/1");
  const queue = new Queue("provisioning", {
    prefix: "hubfed",
    connection: {
      host: redisUrl.hostname,
      port: Number(redisUrl.port || 6379),
      db: Number(redisUrl.pathname.slice(1) || 0),
    },
  });
  try {
    await queue.add(
      "hub.provision",
      { hubId, trigger: "approval" },
      {
        jobId: `provision-${hubId}-e2e`,
        attempts: 5,
        backoff: { type: "exponential", delay: 5000 },
      },
    );
  } finally {
    await queue.close();
  }
  await expect
    .poll(
      () =>
        withDatabase(async (client) => {
          const row = await client.query<{ status: string }>(
            `SELECT status FROM "Hub" WHERE id = $1`,
            [hubId],
          );
          return row.rows[0]?.status;
        }),
      { timeout: 120_000, intervals: [1000] },
    )
    .toBe("READY");
}

test("an instructor publishes a link; a student clicks it, signs in and lands on the cloned notebook in their hub", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  await createCourseWithLocalHub();

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
