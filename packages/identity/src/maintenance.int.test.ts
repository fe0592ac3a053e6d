import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { deleteExpiredOidcArtifacts } from "./maintenance";

const database = useTestDatabase();

describe("OIDC housekeeping", () => {
  it("deletes expired artifacts and keeps live and open-ended ones", async () => {
    const { db } = database();
    const now = new Date("2026-11-22T12:00:00Z");
    await db.oidcArtifact.createMany({
      data: [
        {
          model: "AuthorizationCode",
          id: "old",
          payload: {},
          expiresAt: new Date("2026-11-22T11:59:00Z"),
        },
        { model: "Session", id: "live", payload: {}, expiresAt: new Date("2026-11-22T13:00:00Z") },
        { model: "Grant", id: "open", payload: {}, expiresAt: null },
      ],
    });
    expect(await deleteExpiredOidcArtifacts(db, now)).toBe(1);
    const left = await db.oidcArtifact.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    expect(left.map((row) => row.id)).toEqual(["live", "open"]);
  });
});
