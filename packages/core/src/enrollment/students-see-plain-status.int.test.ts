import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { resolveInteractRequest } from "../links/resolve-interact";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { launchCourseHub } from "./launch";
import { listMyHubs } from "./my-hubs";

// What a student is shown about a hub that cannot take them: the status in
// plain words, never its technical reason (ops and staff read that), and a
// hub on the demo's simulated Kubernetes cluster is labelled as such instead
// of sending anyone to an address where nothing answers.

const database = useTestDatabase();
const internalReason =
  "Error: Cannot read /srv/hubfed/packages/kube/schemas/x.yaml\n    at loadValuesSchema (values-schema.ts:61:11)";

beforeAll(async () => {
  const db = database().db;
  // As shipped: us-west's clusters are the demo's simulated ones.
  await seedDemoFederation(db, { kubernetesClusters: "as-shipped" });
  await db.hub.update({
    where: { slug: "wvc-data-101-fa26" },
    data: { status: "READY", url: "https://wvc-data-101-fa26.us-west.hubfed.example.org" },
  });
  await db.hub.update({
    where: { slug: "ccc-cs-120-fa26" },
    data: { status: "FAILED", statusReason: internalReason },
  });
});

describe("a hub on a simulated cluster", () => {
  it("is labelled on My hubs and never launched", async () => {
    const db = database().db;
    const student = await actorFor(db, "student@westvalley.edu");
    const data101 = (await listMyHubs(db, student.userId)).find(
      (entry) => entry.course.code === "DATA 101",
    );
    expect(data101?.hub).toMatchObject({
      status: "READY",
      isSimulated: true,
      isLaunchable: false,
      statusDescription: { label: "Simulated" },
    });
    const launch = await launchCourseHub(db, student, "wvc-data-101-fa26");
    expect(launch).toMatchObject({
      kind: "not-ready",
      hub: { isSimulated: true, description: { label: "Simulated" } },
    });
  });

  it("is not where a content link sends anyone", async () => {
    const db = database().db;
    const student = await actorFor(db, "student@westvalley.edu");
    const course = await db.course.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
    await db.contentLink.create({
      data: {
        courseId: course.id,
        code: "simulated1",
        title: "Lab 1",
        repositoryUrl: "https://github.com/westvalley-data/labs",
        branch: "main",
        path: "lab01/lab01.ipynb",
      },
    });
    const outcome = await resolveInteractRequest(db, {
      form: "code",
      code: "simulated1",
      userId: student.userId,
    });
    expect(outcome).toMatchObject({
      kind: "hub-not-ready",
      hub: { status: "READY", isSimulated: true, description: { label: "Simulated" } },
    });
  });
});

describe("a failed hub, as its students see it", () => {
  it("says it is being repaired, with none of the technical reason", async () => {
    const db = database().db;
    const student = await actorFor(db, "student@westvalley.edu");
    const launch = await launchCourseHub(db, student, "ccc-cs-120-fa26");
    const cs120 = (await listMyHubs(db, student.userId)).find(
      (entry) => entry.course.code === "CS 120",
    );
    const course = await db.course.findUniqueOrThrow({ where: { slug: "ccc-cs-120-fa26" } });
    await db.contentLink.create({
      data: {
        courseId: course.id,
        code: "failedhub1",
        title: "Week 1",
        repositoryUrl: "https://github.com/cascade-cs/cs120",
        branch: "main",
        path: "week1/intro.ipynb",
      },
    });
    const interact = await resolveInteractRequest(db, {
      form: "code",
      code: "failedhub1",
      userId: student.userId,
    });
    for (const shown of [launch, cs120, interact]) {
      const text = JSON.stringify(shown);
      expect(text).toContain("being repaired");
      expect(text).not.toContain("schemas");
      expect(text).not.toContain("loadValuesSchema");
      expect(text).not.toMatch(/statusReason/);
    }
  });
});
