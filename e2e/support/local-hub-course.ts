import { expect } from "@playwright/test";
import { Queue } from "bullmq";
import pg from "pg";

// A course of its own with a hub on the local cluster, provisioned by the
// run's worker: journeys that land in a real JupyterHub make their own, so
// none depends on another journey's hub.

export async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
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

export interface LocalHubCourse {
  slug: string;
  code: string;
  title: string;
  /** The institution's slug; its members are the course's people. */
  institution: string;
  allowList: string[];
  /** Emails and their course roles. */
  people: Array<[email: string, role: "INSTRUCTOR" | "TA" | "STUDENT"]>;
  /** The hub's autograder (spec.autograder.isEnabled). */
  isAutograderEnabled?: boolean;
}

/** Creates the course once (a rerun finds it) and waits until its hub is READY. */
export async function createCourseWithLocalHub(course: LocalHubCourse): Promise<string> {
  const hubId = await withDatabase(async (client) => {
    const existing = await client.query<{ id: string }>(`SELECT id FROM "Hub" WHERE slug = $1`, [
      course.slug,
    ]);
    if (existing.rows[0]) return existing.rows[0].id;
    const courseId = `e2e-course-${course.slug}-${Date.now()}`;
    await client.query(
      `INSERT INTO "Course" (id, "institutionId", slug, code, title, term, "startDate", "endDate", timezone,
         "expectedEnrollment", "expectedConcurrentUsers", "contentRepositoryAllowList", "updatedAt")
       SELECT $1, id, $2, $3, $4, 'Fall 2026', '2026-08-24', '2026-12-18',
         'America/Los_Angeles', 30, 10, $5::text[], now()
       FROM "Institution" WHERE slug = $6`,
      [courseId, course.slug, course.code, course.title, course.allowList, course.institution],
    );
    for (const [email, role] of course.people)
      await client.query(
        `INSERT INTO "Enrollment" (id, "userId", "courseId", role)
         SELECT $1, id, $2, $3::"CourseRole" FROM "User" WHERE email = $4`,
        [`e2e-enrollment-${course.slug}-${role}-${email}`, courseId, role, email],
      );
    const hub = await client.query<{ id: string }>(
      `INSERT INTO "Hub" (id, slug, "courseId", "clusterId", status, "statusReason", spec, "updatedAt")
       SELECT $1, $2, $3, cluster.id, 'PENDING', 'Waiting to be provisioned',
         jsonb_set(template.spec, '{autograder}', jsonb_build_object('isEnabled', $4::boolean)), now()
       FROM "Cluster" cluster, (SELECT spec FROM "Hub" ORDER BY "createdAt" LIMIT 1) template
       WHERE cluster.runtime = 'LOCAL'
       ORDER BY cluster.slug LIMIT 1
       RETURNING id`,
      [
        `e2e-hub-${course.slug}-${Date.now()}`,
        course.slug,
        courseId,
        course.isAutograderEnabled ?? false,
      ],
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
    // BullMQ's own id rule: name:subject:version, as the worker's ids are built.
    await queue.add(
      "hub.provision",
      { hubId, trigger: "approval" },
      {
        jobId: `provision:${hubId}:e2e`,
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
  return hubId;
}
