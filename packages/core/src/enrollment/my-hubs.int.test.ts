import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { launchCourseHub } from "./launch";
import { listMyHubs } from "./my-hubs";
import { createHub, createStudent } from "./test-fixtures";

const database = useTestDatabase();

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  // DATA 101 (West Valley) runs in us-west; CS 120 (Cascade) on the local VM.
  await db.hub.update({
    where: { slug: "wvc-data-101-fa26" },
    data: {
      status: "READY",
      url: "http://127.0.0.1:18001",
      lastActivityAt: new Date("2026-09-01T10:00:00Z"),
    },
  });
  // The seed gives CS 120 its hub on the Portal VM; here it is still being set up.
  await db.hub.update({ where: { slug: "ccc-cs-120-fa26" }, data: { status: "PROVISIONING" } });
});

async function publishLink(courseSlug: string, code: string, createdAt: Date, archived = false) {
  const db = database().db;
  const course = await db.course.findUniqueOrThrow({ where: { slug: courseSlug } });
  await db.contentLink.create({
    data: {
      courseId: course.id,
      code,
      title: `Notebook ${code}`,
      repositoryUrl: "https://github.com/westvalley-data/materials",
      branch: "main",
      path: `lab/${code}.ipynb`,
      createdAt,
      archivedAt: archived ? new Date() : null,
    },
  });
}

describe("My hubs", () => {
  it("lists every course hub across institutions and regions, with status and activity", async () => {
    const db = database().db;
    const student = await actorFor(db, "student@westvalley.edu");
    const hubs = await listMyHubs(db, student.userId);
    expect(hubs.map((entry) => entry.course.code).sort()).toEqual(["CS 120", "DATA 101"]);
    const data101 = hubs.find((entry) => entry.course.code === "DATA 101");
    const cs120 = hubs.find((entry) => entry.course.code === "CS 120");
    expect(data101).toMatchObject({
      course: { institution: "West Valley College", term: "Fall 2026" },
      role: "STUDENT",
      launchPath: "/courses/wvc-data-101-fa26/launch",
      hub: {
        status: "READY",
        statusDescription: { label: "Ready", tone: "green" },
        isLaunchable: true,
        lastActivityAt: new Date("2026-09-01T10:00:00Z"),
      },
    });
    expect(cs120).toMatchObject({
      course: { institution: "Cascade Community College" },
      hub: {
        status: "PROVISIONING",
        statusDescription: { label: "Being set up" },
        isLaunchable: false,
      },
    });
    expect(data101?.hub?.region).toBe("US West");
    expect(cs120?.hub?.region).toBe("Local (single VM)");
  });

  it("puts the hub launched last first, then the newest course", async () => {
    const db = database().db;
    const student = await actorFor(db, "student@westvalley.edu");
    // CS 120 starts later than DATA 101, so it leads until something is launched.
    expect((await listMyHubs(db, student.userId)).map((entry) => entry.course.code)).toEqual([
      "CS 120",
      "DATA 101",
    ]);
    await launchCourseHub(db, student, "wvc-data-101-fa26", new Date("2026-09-02T09:00:00Z"));
    const hubs = await listMyHubs(db, student.userId);
    expect(hubs.map((entry) => entry.course.code)).toEqual(["DATA 101", "CS 120"]);
    expect(hubs[0]?.lastLaunchedAt).toEqual(new Date("2026-09-02T09:00:00Z"));
  });

  it("shows each course's newest published links, at most three, without archived ones", async () => {
    const db = database().db;
    const day = (n: number) => new Date(Date.UTC(2026, 8, n));
    await publishLink("wvc-data-101-fa26", "d101-a", day(1));
    await publishLink("wvc-data-101-fa26", "d101-b", day(2));
    await publishLink("wvc-data-101-fa26", "d101-c", day(3));
    await publishLink("wvc-data-101-fa26", "d101-d", day(4));
    await publishLink("wvc-data-101-fa26", "d101-archived", day(5), true);
    await publishLink("ccc-cs-120-fa26", "cs120-a", day(2));
    const student = await actorFor(db, "student@westvalley.edu");
    const hubs = await listMyHubs(db, student.userId);
    const linksOf = (code: string) =>
      hubs.find((entry) => entry.course.code === code)?.latestLinks.map((link) => link.shortPath);
    expect(linksOf("DATA 101")).toEqual(["/i/d101-d", "/i/d101-c", "/i/d101-b"]);
    // The demo's own links were published at seeding, after these days: Lab 1's assignment
    // link (it opens the assignment in the student's server) and week 1.
    expect(linksOf("CS 120")).toEqual(["/i/cs120lab1", "/i/cs120week1", "/i/cs120-a"]);
  });

  it("shows the hub a student is placed on when a course has several sections", async () => {
    const db = database().db;
    const course = await db.course.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
    const section = await createHub(db, {
      courseSlug: "wvc-data-101-fa26",
      clusterSlug: "aws-eks-1",
      slug: "wvc-data-101-fa26-east",
      status: "DEGRADED",
    });
    const { user } = await createStudent(db);
    await db.enrollment.create({
      data: { userId: user.id, courseId: course.id, role: "STUDENT", hubId: section.id },
    });
    const [entry] = await listMyHubs(db, user.id);
    expect(entry?.hub).toMatchObject({
      slug: "wvc-data-101-fa26-east",
      statusDescription: { label: "Having problems", tone: "amber" },
      isLaunchable: false,
    });
    // Someone without a sticky hub is shown the healthy one.
    const { user: other } = await createStudent(db);
    await db.enrollment.create({
      data: { userId: other.id, courseId: course.id, role: "STUDENT" },
    });
    expect((await listMyHubs(db, other.id))[0]?.hub?.slug).toBe("wvc-data-101-fa26");
  });

  it("is empty for someone with no enrollments", async () => {
    const db = database().db;
    const ops = await actorFor(db, "ops@hubfed.example");
    expect(await listMyHubs(db, ops.userId)).toEqual([]);
  });
});
