import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { startFakeGitHub, type FakeGitHubServer } from "@hubfed/github/fake-server";
import { testRedisUrl, useTestDatabase } from "@hubfed/db/testing";
import { isAppError } from "../errors";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { createClickRecorder, foldLinkClicks } from "./clicks";
import { resolveInteractRequest } from "./resolve-interact";
import { listCourseLinks } from "./course-link-list";
import { latestLinksByCourse } from "./latest-links";
import { verifyContentLinks } from "./periodic-verification";
import { archiveContentLink, createContentLink } from "./publish";
import { createLinkVerifier, type LinkVerifier } from "./verification";

// A content link's life, one scenario over one database: publishing,
// archiving, listing with clicks and periodic verification (publish.ts,
// course-link-list.ts, latest-links.ts, periodic-verification.ts), against
// PostgreSQL, Redis and the fake GitHub over HTTP. Later tests build on the
// links earlier ones published, so it stays one file.

const database = useTestDatabase();
const redis = new Redis(`${testRedisUrl()}/7`);
let github: FakeGitHubServer;
let verifyLink: LinkVerifier;
let instructor: Actor;
let ta: Actor;
let student: Actor;
let otherInstructor: Actor;
let admin: Actor;

const course = "wvc-data-101-fa26";
const draft = {
  title: "Lab 1: tables",
  repositoryUrl: "https://github.com/westvalley-data/labs",
  branch: "main",
  path: "lab01/lab01.ipynb",
  interface: "LAB",
};

async function expectAppError(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

beforeAll(async () => {
  await redis.flushdb();
  github = await startFakeGitHub();
  github.createRepository({
    owner: "westvalley-data",
    name: "labs",
    files: {
      "lab01/lab01.ipynb": "{}",
      "lab02/lab02.ipynb": "{}",
      "apps/explorer/app.R": "library(shiny)",
    },
  });
  // The demo seed's published link (CS 120's week 1) points here.
  github.createRepository({
    owner: "cascade-cs",
    name: "cs120",
    files: { "week1/intro.ipynb": "{}" },
  });
  verifyLink = createLinkVerifier({ githubApiUrl: github.url });
  const db = database().db;
  await seedDemoFederation(db);
  instructor = await actorFor(db, "prof.rivera@westvalley.edu");
  ta = await actorFor(db, "ta.chen@westvalley.edu");
  student = await actorFor(db, "student@westvalley.edu");
  otherInstructor = await actorFor(db, "prof.okafor@cascade.edu");
  admin = await actorFor(db, "it-admin@westvalley.edu");
});

afterAll(async () => {
  await github.stop();
  redis.disconnect();
});

const dependencies = () => ({ redis, verifyLink });

describe("publishing", () => {
  it("publishes a verified link with a fresh short code and an audit event", async () => {
    const db = database().db;
    const created = await createContentLink(
      db,
      instructor,
      { courseSlug: course, draft },
      dependencies(),
    );
    expect(created.code).toMatch(/^[2-9a-hjkmnp-z]{8}$/);
    expect(created.verification).toBe("OK");
    const row = await db.contentLink.findUniqueOrThrow({ where: { code: created.code } });
    expect(row).toMatchObject({
      repositoryUrl: draft.repositoryUrl,
      branch: "main",
    });
    expect(row.verifiedAt).toBeInstanceOf(Date);
    expect(
      await db.auditEvent.count({ where: { action: "link.publish", subjectId: row.id } }),
    ).toBe(1);
    const second = await createContentLink(db, ta, { courseSlug: course, draft }, dependencies());
    expect(second.code).not.toBe(created.code);
  });

  it("refuses a link to something missing, naming the field to fix", async () => {
    const db = database().db;
    const missingBranch = await expectAppError(
      createContentLink(
        db,
        instructor,
        { courseSlug: course, draft: { ...draft, branch: "nope" } },
        dependencies(),
      ),
    );
    expect(missingBranch.fieldErrors.branch?.[0]).toMatch(/nope.*not found/);
    const missingPath = await expectAppError(
      createContentLink(
        db,
        instructor,
        { courseSlug: course, draft: { ...draft, path: "lab09/x.ipynb" } },
        dependencies(),
      ),
    );
    expect(missingPath.fieldErrors.path?.[0]).toMatch(/lab09\/x\.ipynb.*not found/);
    const missingRepository = await expectAppError(
      createContentLink(
        db,
        instructor,
        {
          courseSlug: course,
          draft: { ...draft, repositoryUrl: "https://github.com/westvalley-data/gone" },
        },
        dependencies(),
      ),
    );
    expect(missingRepository.fieldErrors.repositoryUrl?.[0]).toMatch(/not found/);
    const shinyFile = await expectAppError(
      createContentLink(
        db,
        instructor,
        {
          courseSlug: course,
          draft: { ...draft, interface: "SHINY", path: "apps/explorer/app.R" },
        },
        dependencies(),
      ),
    );
    expect(shinyFile.fieldErrors.path?.[0]).toMatch(/folder/);
  });

  it("offers a course on the portal's VM no RStudio or Shiny link, and says why", async () => {
    const db = database().db;
    // CS 120's hub runs on the Portal VM (the local runtime: the classic notebook only).
    const listed = await listCourseLinks(db, otherInstructor, "ccc-cs-120-fa26", {});
    expect(listed.course.unavailableInterfaces.map((entry) => entry.interface).sort()).toEqual([
      "RSTUDIO",
      "SHINY",
    ]);
    expect(listed.course.unavailableInterfaces[0]?.reason).toMatch(/classic Jupyter notebook/);
    const refused = await expectAppError(
      createContentLink(
        db,
        otherInstructor,
        {
          courseSlug: "ccc-cs-120-fa26",
          draft: {
            ...draft,
            repositoryUrl: "https://github.com/cascade-cs/cs120",
            path: "week1",
            interface: "RSTUDIO",
          },
        },
        dependencies(),
      ),
    );
    expect(refused.fieldErrors.interface?.[0]).toMatch(/no RStudio/);
    // A course on Kubernetes keeps every interface.
    const onKubernetes = await listCourseLinks(db, instructor, course, {});
    expect(onKubernetes.course.unavailableInterfaces).toEqual([]);
  });

  it("refuses invalid fields before asking GitHub, with a message per field", async () => {
    const before = github.counters.requests;
    const error = await expectAppError(
      createContentLink(
        database().db,
        instructor,
        {
          courseSlug: course,
          draft: {
            ...draft,
            repositoryUrl: "https://github.com/elsewhere/labs",
            path: "../x",
            targetPath: ".config",
          },
        },
        dependencies(),
      ),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["path", "repositoryUrl", "targetPath"]);
    expect(github.counters.requests).toBe(before);
  });

  it("saves links on hosts it cannot verify, saying so", async () => {
    const db = database().db;
    await db.course.update({
      where: { slug: course },
      data: { contentRepositoryAllowList: ["github.com/westvalley-data", "git.westvalley.edu"] },
    });
    const created = await createContentLink(
      db,
      instructor,
      {
        courseSlug: course,
        draft: { ...draft, repositoryUrl: "https://git.westvalley.edu/data/labs.git" },
      },
      dependencies(),
    );
    expect(created.verification).toBe("UNVERIFIED");
    expect(created.verificationMessage).toMatch(/GitHub repositories only.*git\.westvalley\.edu/);
  });

  it("lets only the course's instructors and TAs publish", async () => {
    const db = database().db;
    expect(
      (
        await expectAppError(
          createContentLink(db, student, { courseSlug: course, draft }, dependencies()),
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(
      (
        await expectAppError(
          createContentLink(db, admin, { courseSlug: course, draft }, dependencies()),
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(
      (
        await expectAppError(
          createContentLink(db, otherInstructor, { courseSlug: course, draft }, dependencies()),
        )
      ).code,
    ).toBe("NOT_FOUND");
  });

  it("rate-limits publishing per person", async () => {
    const db = database().db;
    const user = await db.user.create({
      data: { email: "busy-ta@westvalley.edu", username: "busy-ta" },
    });
    const courseRow = await db.course.findUniqueOrThrow({ where: { slug: course } });
    await db.enrollment.create({ data: { userId: user.id, courseId: courseRow.id, role: "TA" } });
    const busy = await actorFor(db, "busy-ta@westvalley.edu");
    for (let index = 0; index < 30; index += 1)
      await createContentLink(
        db,
        busy,
        { courseSlug: course, draft: { ...draft, title: `Lab ${index}` } },
        dependencies(),
      );
    const error = await expectAppError(
      createContentLink(db, busy, { courseSlug: course, draft }, dependencies()),
    );
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.message).toMatch(/30 links in the last hour.*Try again in \d+ minute/);
    // Someone else is not affected.
    await createContentLink(db, instructor, { courseSlug: course, draft }, dependencies());
  });
});

describe("archiving, listing and clicks", () => {
  it("archives a link: the router refuses it and the list marks it", async () => {
    const db = database().db;
    const { id, code } = await createContentLink(
      db,
      instructor,
      { courseSlug: course, draft },
      dependencies(),
    );
    await expect(archiveContentLink(db, student, { linkId: id })).rejects.toThrow(
      /instructors and TAs/,
    );
    await archiveContentLink(db, ta, { linkId: id });
    const outcome = await resolveInteractRequest(db, {
      form: "code",
      code,
      userId: student.userId,
    });
    expect(outcome).toMatchObject({ kind: "refuse", status: 410 });
    const listed = await listCourseLinks(db, instructor, course);
    expect(listed.links.find((link) => link.id === id)?.archivedAt).toBeInstanceOf(Date);
  });

  it("counts clicks off the hot path and folds them idempotently into days", async () => {
    const db = database().db;
    await db.hub.update({
      where: { slug: course },
      data: { status: "READY", url: "https://data101.hubs.example.org" },
    });
    const { id, code } = await createContentLink(
      db,
      instructor,
      { courseSlug: course, draft: { ...draft, title: "Clicked lab" } },
      dependencies(),
    );
    const recorder = createClickRecorder(redis);
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: student.userId } });
    const yesterday = new Date(Date.now() - 86_400_000);
    for (let index = 0; index < 2; index += 1)
      recorder.recordClick({ linkId: id, enrollmentId: enrollment.id, at: yesterday });
    for (let index = 0; index < 5; index += 1)
      recorder.recordClick({ linkId: id, enrollmentId: enrollment.id });
    await recorder.flush();

    // Unfolded clicks already show in the list (read from Redis).
    const live = await listCourseLinks(db, instructor, course, { redis });
    expect(live.links.find((link) => link.id === id)?.clicks.total).toBe(7);

    await foldLinkClicks(db, redis);
    await foldLinkClicks(db, redis);
    const rows = await db.contentLinkDailyClicks.findMany({
      where: { linkId: id },
      orderBy: { day: "asc" },
    });
    expect(rows.map((row) => row.clicks)).toEqual([2, 5]);
    const launched = await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } });
    expect(launched.lastLaunchedAt?.getTime()).toBeGreaterThan(Date.now() - 60_000);

    const listed = await listCourseLinks(db, ta, course, { redis });
    const entry = listed.links.find((link) => link.id === id)!;
    expect(entry.clicks).toMatchObject({ total: 7, last30Days: 7 });
    expect(entry.clicks.daily).toHaveLength(30);
    expect(entry.clicks.daily.at(-1)).toEqual({
      day: new Date().toISOString().slice(0, 10),
      clicks: 5,
    });
    expect(entry.shortPath).toBe(`/i/${code}`);
    expect(new URL(entry.nbgitpullerUrl!).origin).toBe("https://data101.hubs.example.org");

    const courseId = (await db.course.findUniqueOrThrow({ where: { slug: course } })).id;
    const latest = await latestLinksByCourse(db, [courseId, "no-such-course"], 2);
    expect(latest.get("no-such-course")).toEqual([]);
    const first = latest.get(courseId);
    expect(first).toHaveLength(2);
    expect(first?.[0]?.title).toBe("Clicked lab");
    expect(first?.every((link) => link.shortPath.startsWith("/i/"))).toBe(true);
    // Created moments ago, read back as the same instant (stored as UTC, carried as JSON text).
    expect(Math.abs((first?.[0]?.createdAt.getTime() ?? 0) - Date.now())).toBeLessThan(10 * 60_000);
  });

  it("shows the list to staff and institution admins only", async () => {
    const db = database().db;
    await expect(listCourseLinks(db, admin, course)).resolves.toMatchObject({ canPublish: false });
    await expect(listCourseLinks(db, student, course)).rejects.toThrow(/instructors and TAs/);
    await expect(listCourseLinks(db, otherInstructor, course)).rejects.toThrow(/not found/);
  });
});

describe("periodic verification", () => {
  it("marks a link BROKEN when its file disappears, tells the staff, and OK when it returns", async () => {
    const db = database().db;
    const { id } = await createContentLink(
      db,
      instructor,
      { courseSlug: course, draft: { ...draft, path: "lab02/lab02.ipynb", title: "Lab 2" } },
      dependencies(),
    );
    github.commitFiles("westvalley-data", "labs", "main", { deletions: ["lab02/lab02.ipynb"] });
    const later = new Date(Date.now() + 7 * 3600_000);
    const summary = await verifyContentLinks(db, verifyLink, { now: later, batchSize: 500 });
    expect(summary.broken).toBe(1);
    const broken = await db.contentLink.findUniqueOrThrow({ where: { id } });
    expect(broken.verification).toBe("BROKEN");
    expect(broken.verificationMessage).toMatch(/lab02\/lab02\.ipynb.*not found/);
    const notices = await db.notification.findMany({ where: { kind: "link.broken" } });
    const staff = await db.enrollment.findMany({
      where: { course: { slug: course }, role: { in: ["INSTRUCTOR", "TA"] } },
    });
    expect(staff.map((member) => member.userId)).toEqual(
      expect.arrayContaining([instructor.userId, ta.userId]),
    );
    expect(new Set(notices.map((notice) => notice.userId))).toEqual(
      new Set(staff.map((member) => member.userId)),
    );
    expect(notices[0]?.href).toBe(`/courses/${course}/links`);

    // Nothing is due again until the re-check interval has passed.
    expect((await verifyContentLinks(db, verifyLink, { now: later })).checked).toBe(0);

    github.commitFiles("westvalley-data", "labs", "main", { files: { "lab02/lab02.ipynb": "{}" } });
    await verifyContentLinks(db, verifyLink, {
      now: new Date(later.getTime() + 7 * 3600_000),
      batchSize: 500,
    });
    expect((await db.contentLink.findUniqueOrThrow({ where: { id } })).verification).toBe("OK");
    expect(await db.notification.count({ where: { kind: "link.broken" } })).toBe(staff.length);
  });

  it("changes nothing when GitHub cannot be reached", async () => {
    const db = database().db;
    const unreachable = createLinkVerifier({ githubApiUrl: "http://127.0.0.1:9" });
    const before = await db.contentLink.findMany({
      select: { id: true, verification: true },
      orderBy: { id: "asc" },
    });
    const summary = await verifyContentLinks(db, unreachable, {
      now: new Date(Date.now() + 30 * 3600_000),
      batchSize: 5,
    });
    expect(summary).toMatchObject({ checked: 5, ok: 0, broken: 0 });
    expect(summary.unknown).toBeGreaterThanOrEqual(4);
    expect(
      await db.contentLink.findMany({
        select: { id: true, verification: true },
        orderBy: { id: "asc" },
      }),
    ).toEqual(before);
  });
});
