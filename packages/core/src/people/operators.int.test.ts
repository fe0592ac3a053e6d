import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { runHubfedCommand } from "../testing/hubfed-command";
import { grantOperator, listOperators } from "./operators";

const database = useTestDatabase();

async function signedIn(email: string, isVerified = true) {
  return database().db.user.create({
    data: {
      email,
      username: email.split("@")[0]?.replace(/[^a-z0-9]/g, "-") ?? "someone",
      emailVerified: isVerified ? new Date() : null,
    },
  });
}

describe("granting the first operator", () => {
  it("makes a person who signed in an operator, once, with an audit event", async () => {
    const { db } = database();
    const user = await signedIn("ada@federation.example.edu");
    expect(await grantOperator(db, " Ada@Federation.example.edu ")).toEqual({
      username: "ada",
      wasOperator: false,
    });
    expect(await grantOperator(db, "ada@federation.example.edu")).toEqual({
      username: "ada",
      wasOperator: true,
    });
    expect(await listOperators(db)).toEqual([
      { username: "ada", email: "ada@federation.example.edu" },
    ]);
    expect(
      await db.auditEvent.count({ where: { action: "user.operator.grant", subjectId: user.id } }),
    ).toBe(1);
  });

  it("refuses an email no one has signed in with, or that no provider verified", async () => {
    const { db } = database();
    await signedIn("mallory@example.org", false);
    for (const email of ["nobody@example.org", "mallory@example.org"])
      await expect(grantOperator(db, email)).rejects.toMatchObject({
        code: "NOT_FOUND",
        message: expect.stringContaining("sign in to the portal first") as string,
      });
    expect((await listOperators(db)).map((operator) => operator.username)).not.toContain("mallory");
  });

  it("runs as `hubfed operators grant`", async () => {
    await signedIn("grace@federation.example.edu");
    const { stdout, exitCode } = await runHubfedCommand(
      ["operators", "grant", "grace@federation.example.edu"],
      { DATABASE_URL: database().url },
    );
    expect(exitCode).toBe(0);
    expect(stdout).toContain("grace (grace@federation.example.edu) is now an operator");
  }, 60_000);
});
