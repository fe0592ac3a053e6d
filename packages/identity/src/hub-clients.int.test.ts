import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import {
  ensureHubOidcClient,
  findHubClientMetadata,
  rotateHubOidcClientSecret,
} from "./hub-clients";
import { createSecretBox, sealedSecretContexts } from "./secret-box";
import { readyHubsSignPeopleIn, seedCourseHub, type CourseHubFixture } from "./testing/course-hub";

// The registry of hubs' clients against a real database: what provisioning registers, what the
// provider reads, and what a rotation changes and records.

const database = useTestDatabase();
const secretBox = createSecretBox(Buffer.alloc(32, 5).toString("base64"));
const callback = "http://127.0.0.1:9/hub/oauth_callback";
let seeded: CourseHubFixture;

beforeAll(async () => {
  seeded = await seedCourseHub(database().db);
});

describe("the hub client registry", () => {
  it("registers a hub's client once, keeps its redirect URI current and hands back the same secret", async () => {
    const { db } = database();
    const { hub } = seeded;
    const first = await ensureHubOidcClient(db, secretBox, {
      hubId: hub.id,
      hubSlug: hub.slug,
      redirectUri: callback,
    });
    expect(first).toMatchObject({ clientId: `hub-${hub.slug}`, isNew: true });
    const stored = await db.hubOidcClient.findUniqueOrThrow({ where: { hubId: hub.id } });
    expect(stored.clientSecretEncrypted).not.toContain(first.clientSecret);

    const moved = "http://127.0.0.1:10/hub/oauth_callback";
    const again = await ensureHubOidcClient(db, secretBox, {
      hubId: hub.id,
      hubSlug: hub.slug,
      redirectUri: moved,
    });
    expect(again).toMatchObject({ clientId: first.clientId, isNew: false });
    expect(again.clientSecret).toBe(first.clientSecret);
    expect(
      await findHubClientMetadata(db, secretBox, first.clientId, readyHubsSignPeopleIn),
    ).toMatchObject({
      outcome: "found",
      metadata: {
        client_id: first.clientId,
        client_secret: first.clientSecret,
        redirect_uris: [moved],
        token_endpoint_auth_method: "client_secret_basic",
      },
    });
  });

  it("knows no client for an unknown id or an archived hub", async () => {
    const { db } = database();
    const hub = await seeded.addHub("archived-hub");
    const { clientId } = await ensureHubOidcClient(db, secretBox, {
      hubId: hub.id,
      hubSlug: hub.slug,
      redirectUri: callback,
    });
    const find = (id: string) => findHubClientMetadata(db, secretBox, id, readyHubsSignPeopleIn);
    expect(await find("hub-nobody")).toEqual({ outcome: "unknown" });
    await db.hub.update({ where: { id: hub.id }, data: { status: "ARCHIVED" } });
    expect(await find(clientId)).toEqual({ outcome: "unknown" });
  });

  it("suspended hub sign-in: a hub that is not serving students has a client but no metadata", async () => {
    const { db } = database();
    const hub = await seeded.addHub("suspended-hub");
    const { clientId } = await ensureHubOidcClient(db, secretBox, {
      hubId: hub.id,
      hubSlug: hub.slug,
      redirectUri: callback,
    });
    for (const status of ["SUSPENDED", "DECOMMISSIONING"] as const) {
      await db.hub.update({ where: { id: hub.id }, data: { status } });
      expect(await findHubClientMetadata(db, secretBox, clientId, readyHubsSignPeopleIn)).toEqual({
        outcome: "not-signing-in",
        hubStatus: status,
        // The refusal names whom to ask: the course's instructor.
        contacts: ["Ana Rivera"],
      });
    }
  });

  it("rotates a hub's secret and records who did it, in one go", async () => {
    const { db } = database();
    const { hub, instructorId } = seeded;
    const before = await ensureHubOidcClient(db, secretBox, {
      hubId: hub.id,
      hubSlug: hub.slug,
      redirectUri: callback,
    });
    const rotation = await rotateHubOidcClientSecret(db, secretBox, {
      hubSlug: hub.slug,
      actorId: instructorId,
    });
    if (rotation.outcome !== "rotated") throw new Error(`no rotation: ${rotation.outcome}`);
    expect(rotation.hub.id).toBe(hub.id);
    const after = await ensureHubOidcClient(db, secretBox, {
      hubId: hub.id,
      hubSlug: hub.slug,
      redirectUri: callback,
    });
    expect(after.clientSecret).not.toBe(before.clientSecret);
    expect(after.rotatedAt).toEqual(rotation.rotatedAt);
    const events = await db.auditEvent.findMany({ where: { action: "hub.oidc-secret.rotated" } });
    expect(events).toEqual([
      expect.objectContaining({ actorId: instructorId, subjectType: "Hub", subjectId: hub.id }),
    ]);
  });

  it("refuses to rotate for an unknown hub, a hub without a client and an archived hub, and records nothing", async () => {
    const { db } = database();
    const hub = await seeded.addHub("refused-hub");
    const rotate = () =>
      rotateHubOidcClientSecret(db, secretBox, { hubSlug: hub.slug, actorId: null });
    expect(
      await rotateHubOidcClientSecret(db, secretBox, { hubSlug: "no-such-hub", actorId: null }),
    ).toEqual({ outcome: "hub-not-found" });
    expect(await rotate()).toEqual({ outcome: "no-client" });
    const { clientSecret } = await ensureHubOidcClient(db, secretBox, {
      hubId: hub.id,
      hubSlug: hub.slug,
      redirectUri: callback,
    });
    await db.hub.update({ where: { id: hub.id }, data: { status: "ARCHIVED" } });
    expect(await rotate()).toEqual({ outcome: "hub-archived" });
    const stored = await db.hubOidcClient.findUniqueOrThrow({ where: { hubId: hub.id } });
    expect(
      secretBox.open(
        stored.clientSecretEncrypted,
        sealedSecretContexts.hubOidcClientSecret(hub.id),
      ),
    ).toBe(clientSecret);
    expect(await db.auditEvent.count({ where: { subjectId: hub.id } })).toBe(0);
  });
});
