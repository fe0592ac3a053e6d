import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { ensureSigningKey, listSigningKeys, rotateSigningKey } from "./keys";
import { createSecretBox } from "./secret-box";

// Signing-key rotation against a real database: the new key, the retired one, and the
// operator's audit event written with them.

const database = useTestDatabase();
const secretBox = createSecretBox(Buffer.alloc(32, 6).toString("base64"));

describe("signing-key rotation", () => {
  it("refuses while the portal has no key yet, and records nothing", async () => {
    const { db } = database();
    expect(await rotateSigningKey(db, secretBox, { actorId: null })).toEqual({
      outcome: "no-signing-key",
    });
    expect(await db.oidcSigningKey.count()).toBe(0);
    expect(await db.auditEvent.count()).toBe(0);
  });

  it("signs with a new key, keeps the old one published and records who rotated it", async () => {
    const { db } = database();
    await ensureSigningKey(db, secretBox);
    const [old] = await listSigningKeys(db);
    const operator = await db.user.create({
      data: { email: "ops@example.org", username: "ops", isOperator: true },
    });
    const rotation = await rotateSigningKey(db, secretBox, { actorId: operator.id });
    if (rotation.outcome !== "rotated") throw new Error(`no rotation: ${rotation.outcome}`);
    const keys = await listSigningKeys(db);
    expect(keys.map((key) => [key.kid, key.state])).toEqual(
      expect.arrayContaining([
        [rotation.kid, "signing"],
        [old?.kid, "published"],
      ]),
    );
    expect(keys).toHaveLength(2);
    const events = await db.auditEvent.findMany({ where: { action: "oidc.signing-key.rotated" } });
    expect(events).toEqual([
      expect.objectContaining({
        actorId: operator.id,
        subjectType: "OidcSigningKey",
        subjectId: rotation.kid,
      }),
    ]);
  });
});
