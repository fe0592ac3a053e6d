import { createCipheriv, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { ensureHubOidcClient } from "./hub-clients";
import { ensureSigningKey, loadSigningKeys } from "./keys";
import { resealSecrets } from "./reseal";
import { createSecretBox, sealedSecretContexts, secretKeyIdOf } from "./secret-box";
import { seedCourseHub, type CourseHubFixture } from "./testing/course-hub";

// The secret box's rotation path against a real database: every sealed column is rewritten
// under the new key, values in the first format are upgraded, and nothing is lost.

const database = useTestDatabase();
const oldKey = randomBytes(32).toString("base64");
const newKey = randomBytes(32).toString("base64");
let seeded: CourseHubFixture;

/** A value as the first secret box wrote it (no key id, no associated data). */
function sealV1(base64Key: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(base64Key, "base64"), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), ciphertext]
    .map((part) => part.toString("base64url"))
    .join(".");
}

beforeAll(async () => {
  seeded = await seedCourseHub(database().db);
});

describe("sealed secrets", () => {
  it("sealed secrets: rotation re-seals every row and old keys still open", async () => {
    const { db } = database();
    const oldBox = createSecretBox(oldKey);
    const { hub } = seeded;
    const client = await ensureHubOidcClient(db, oldBox, {
      hubId: hub.id,
      hubSlug: hub.slug,
      redirectUri: "http://127.0.0.1:9/hub/oauth_callback",
    });
    await ensureSigningKey(db, oldBox);
    const [jwkBefore] = await loadSigningKeys(db, oldBox);
    // An institution's secret and a local hub's tokens still in the first format.
    const institution = await db.institution.findFirstOrThrow({ where: { slug: "westvalley" } });
    await db.institution.update({
      where: { id: institution.id },
      data: { oidcClientSecretEncrypted: sealV1(oldKey, "campus-secret") },
    });
    const other = await seeded.addHub("local-hub");
    await db.hub.update({
      where: { id: other.id },
      data: {
        runtimeState: {
          dataDirectory: "/data/local-hub",
          portalTokenSealed: sealV1(oldKey, "portal-token"),
          loginPasswordSealed: oldBox.seal(
            "login-password",
            sealedSecretContexts.hubRuntimeState(other.id, "loginPasswordSealed"),
          ),
        },
      },
    });

    // During the rotation every process runs with the new key first and the old one after it.
    const ring = createSecretBox(newKey, [oldKey]);
    expect(await loadSigningKeys(db, ring)).toEqual([jwkBefore]);
    const report = await resealSecrets(db, ring);
    expect(report.resealed).toEqual({
      "HubOidcClient.clientSecretEncrypted": 1,
      "OidcSigningKey.privateJwkEncrypted": 1,
      "Institution.oidcClientSecretEncrypted": 1,
      "Hub.runtimeState.portalTokenSealed": 1,
      "Hub.runtimeState.loginPasswordSealed": 1,
    });

    // Every value is now v2 under the new key, and opens with the new key alone.
    const newOnly = createSecretBox(newKey);
    const newKeyId = secretKeyIdOf(newKey);
    const storedClient = await db.hubOidcClient.findUniqueOrThrow({ where: { hubId: hub.id } });
    expect(storedClient.clientSecretEncrypted.startsWith(`v2.${newKeyId}.`)).toBe(true);
    expect(
      (
        await ensureHubOidcClient(db, newOnly, {
          hubId: hub.id,
          hubSlug: hub.slug,
          redirectUri: "http://127.0.0.1:9/hub/oauth_callback",
        })
      ).clientSecret,
    ).toBe(client.clientSecret);
    expect(await loadSigningKeys(db, newOnly)).toEqual([jwkBefore]);
    const storedInstitution = await db.institution.findUniqueOrThrow({
      where: { id: institution.id },
    });
    expect(
      newOnly.open(
        storedInstitution.oidcClientSecretEncrypted ?? "",
        sealedSecretContexts.institutionOidcClientSecret(institution.id),
      ),
    ).toBe("campus-secret");
    const state = (await db.hub.findUniqueOrThrow({ where: { id: other.id } })).runtimeState as {
      dataDirectory: string;
      portalTokenSealed: string;
      loginPasswordSealed: string;
    };
    expect(state.dataDirectory).toBe("/data/local-hub");
    expect(
      newOnly.open(
        state.portalTokenSealed,
        sealedSecretContexts.hubRuntimeState(other.id, "portalTokenSealed"),
      ),
    ).toBe("portal-token");
    expect(
      newOnly.open(
        state.loginPasswordSealed,
        sealedSecretContexts.hubRuntimeState(other.id, "loginPasswordSealed"),
      ),
    ).toBe("login-password");

    // Run again: nothing left to do.
    expect(await resealSecrets(db, ring)).toEqual({ resealed: {}, current: 5 });
  });
});
