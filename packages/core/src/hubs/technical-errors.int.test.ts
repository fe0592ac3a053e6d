import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { getRequestDetail } from "../requests/queries";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { getHubDetail } from "./queries";
import { transitionHub } from "./status";

const database = useTestDatabase();
const textOf = (value: unknown) =>
  JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "bigint" ? item.toString() : item,
  );

// A failed step's error names the machine's insides: where a hub's files are, which port it
// listens on, what refused the connection.
const rawError = "Start the hub: connect ECONNREFUSED 127.0.0.1:8081 (/var/lib/hubfed/hubs/x)";

describe("technical errors: a hub's run and step errors reach only ops", () => {
  it("staff and the requester read a plain description; ops read the error", async () => {
    const { db } = database();
    await seedDemoFederation(db);
    const hub = await db.hub.findFirstOrThrow({
      where: { course: { slug: "wvc-data-101-fa26" } },
      include: { requests: { select: { id: true }, take: 1 } },
    });
    const run = await db.provisioningRun.create({
      data: { hubId: hub.id, trigger: "retry", status: "FAILED", specRevision: 1, error: rawError },
    });
    await db.provisioningStep.create({
      data: {
        runId: run.id,
        position: 0,
        name: "Start the hub",
        status: "FAILED",
        error: rawError,
      },
    });
    await db.$transaction((tx) =>
      transitionHub(tx, { hub, to: "FAILED", reason: rawError, actorId: null }),
    );
    const requestId = hub.requests[0]?.id;
    expect(requestId).toBeDefined();

    for (const email of ["ta.chen@westvalley.edu", "prof.rivera@westvalley.edu"]) {
      const staff = await actorFor(db, email);
      const detail = await getHubDetail(db, staff, hub.slug);
      expect(textOf(detail)).not.toContain("ECONNREFUSED");
      expect(detail.staffStatus.explanation).toBeTruthy();
    }
    const requester = await actorFor(db, "prof.rivera@westvalley.edu");
    const request = await getRequestDetail(db, requester, requestId ?? "");
    expect(textOf(request)).not.toContain("ECONNREFUSED");
    expect(request.hub?.statusReason).toBeTruthy();
    const inbox = await db.notification.findMany({ where: { kind: "hub.status-change" } });
    expect(textOf(inbox)).not.toContain("ECONNREFUSED");

    const ops = await actorFor(db, "ops@hubfed.example");
    const opsView = await getHubDetail(db, ops, hub.slug);
    expect(opsView.statusReason).toBe(rawError);
    expect(opsView.runs[0]?.steps[0]?.error).toBe(rawError);
    expect((await getRequestDetail(db, ops, requestId ?? "")).hub?.statusReason).toBe(rawError);
  });
});
