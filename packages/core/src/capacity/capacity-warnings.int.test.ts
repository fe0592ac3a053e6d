import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { decideCapacityWindow, requestCapacityWindow } from "./windows";

// A single VM's memory is its capacity: a window it cannot hold is flagged to
// the course's instructors and the operators as soon as it is approved, not
// discovered when students cannot start their servers.

const database = useTestDatabase();
const dayMs = 86_400_000;
const localDay = (at: Date) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "America/Los_Angeles" }).format(at);

async function approvedWindow(seats: number, memoryMibPerSeat: number, day: string) {
  const db = database().db;
  const instructor = await actorFor(db, "prof.okafor@cascade.edu");
  const ops = await actorFor(db, "ops@hubfed.example");
  const course = await db.course.findFirstOrThrow({ where: { code: "CS 120" } });
  const window = await requestCapacityWindow(db, instructor, {
    courseSlug: course.slug,
    reason: `Lab with ${seats} seats`,
    startsAt: `${day}T10:00`,
    endsAt: `${day}T12:00`,
    seats,
    memoryMibPerSeat,
  });
  if (window.status === "PENDING")
    await decideCapacityWindow(db, ops, { windowId: window.id, decision: "APPROVED" });
}

const warnings = () =>
  database().db.notification.findMany({
    where: { kind: "capacity.cannot-hold" },
    include: { user: { select: { email: true } } },
  });

describe("warning ahead of a window the machine cannot hold", () => {
  it("tells the instructor and ops when an approved window needs more than the VM has", async () => {
    const db = database().db;
    await seedDemoFederation(db);
    // Keep the course running past the test's window, whatever today is.
    await db.course.updateMany({
      where: { code: "CS 120" },
      data: { endDate: new Date(Date.now() + 60 * dayMs) },
    });
    // The Portal VM has 24 GiB; 60 seats of 1 GiB do not fit.
    await approvedWindow(60, 1024, localDay(new Date(Date.now() + 2 * dayMs)));
    const sent = await warnings();
    expect(sent.map((notification) => notification.user.email).sort()).toEqual(
      ["ops@hubfed.example", "prof.okafor@cascade.edu"].sort(),
    );
    expect(sent[0]?.title).toMatch(
      /^CS 120: the hub's machines cannot hold the window "Lab with 60 seats"/,
    );
    expect(sent[0]?.body).toMatch(/wants 60 GiB/);
  });

  it("stays quiet for a window the VM can hold", async () => {
    const before = (await warnings()).length;
    await approvedWindow(4, 1024, localDay(new Date(Date.now() + 3 * dayMs)));
    expect(await warnings()).toHaveLength(before);
  });
});
