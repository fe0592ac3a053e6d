import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { createInMemoryJobQueues, provisionJobId, queueNames } from "@hubfed/jobs";
import { createSecretBox, sealedSecretContexts } from "@hubfed/identity/secret-box";
import { ensureHubOidcClient } from "@hubfed/identity/hub-clients";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import {
  configureInstitutionSignIn,
  describeIdentitySettings,
  rotateHubClientSecret,
} from "./identity-admin";

const database = useTestDatabase();
const secretBox = createSecretBox(Buffer.alloc(32, 9).toString("base64"));
const queues = createInMemoryJobQueues();

async function seeded() {
  const { db } = database();
  if ((await db.user.count()) === 0) await seedDemoFederation(db);
  return { db, ops: await actorFor(db, "ops@hubfed.example") };
}

describe("identity administration", () => {
  it("stores an institution's sign-in settings with the secret sealed and never shown", async () => {
    const { db, ops } = await seeded();
    await configureInstitutionSignIn(db, secretBox, ops, {
      institutionSlug: "west-valley",
      issuer: "https://login.westvalley.edu/realms/students/",
      clientId: "hubfed-portal",
      clientSecret: "campus-client-secret",
      emailDomains: ["WestValley.edu", "students.westvalley.edu"],
    });
    const stored = await db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } });
    expect(stored.oidcIssuer).toBe("https://login.westvalley.edu/realms/students");
    expect(stored.emailDomains).toEqual(["westvalley.edu", "students.westvalley.edu"]);
    expect(stored.oidcClientSecretEncrypted).not.toContain("campus-client-secret");
    expect(
      secretBox.open(
        stored.oidcClientSecretEncrypted ?? "",
        sealedSecretContexts.institutionOidcClientSecret(stored.id),
      ),
    ).toBe("campus-client-secret");

    const settings = await describeIdentitySettings(db, ops);
    expect(JSON.stringify(settings)).not.toContain("campus-client-secret");
    expect(settings.institutions.find((entry) => entry.slug === "west-valley")).toMatchObject({
      hasClientSecret: true,
      oidcClientId: "hubfed-portal",
    });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "institution.sign-in.configured" },
    });
    expect(JSON.stringify(audit.details)).not.toContain("campus-client-secret");
  });

  it("keeps the stored secret when none is entered, and reports each bad field", async () => {
    const { db, ops } = await seeded();
    await configureInstitutionSignIn(db, secretBox, ops, {
      institutionSlug: "west-valley",
      issuer: "https://login.westvalley.edu",
      clientId: "renamed-client",
      emailDomains: ["westvalley.edu"],
    });
    const stored = await db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } });
    expect(
      secretBox.open(
        stored.oidcClientSecretEncrypted ?? "",
        sealedSecretContexts.institutionOidcClientSecret(stored.id),
      ),
    ).toBe("campus-client-secret");

    await expect(
      configureInstitutionSignIn(db, secretBox, ops, {
        institutionSlug: "cascade",
        issuer: "http://login.cascade.edu",
        clientId: "",
        emailDomains: ["not a domain"],
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: {
        issuer: [expect.stringMatching(/https/) as unknown],
        clientId: [expect.stringMatching(/client id/) as unknown],
        "emailDomains.0": ["Not a domain name"],
      },
    });
    await expect(
      configureInstitutionSignIn(db, secretBox, ops, {
        institutionSlug: "cascade",
        issuer: "https://login.cascade.edu",
        clientId: "hubfed",
        emailDomains: ["cascade.edu"],
      }),
    ).rejects.toMatchObject({ fieldErrors: { clientSecret: ["Enter the client secret"] } });
  });

  it("refuses everyone but operators", async () => {
    const { db } = await seeded();
    const admin = await actorFor(db, "it-admin@westvalley.edu");
    await expect(describeIdentitySettings(db, admin)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("rotates a hub's client secret and reconciles the hub to hand it over", async () => {
    const { db, ops } = await seeded();
    const hub = await db.hub.findFirstOrThrow({ where: { course: { slug: "wvc-data-101-fa26" } } });
    const before = await ensureHubOidcClient(db, secretBox, {
      hubId: hub.id,
      hubSlug: hub.slug,
      redirectUri: "http://127.0.0.1:9/hub/oauth_callback",
    });
    const { rotatedAt } = await rotateHubClientSecret(db, secretBox, ops, queues, hub.slug);
    const after = await db.hubOidcClient.findUniqueOrThrow({ where: { hubId: hub.id } });
    expect(
      secretBox.open(after.clientSecretEncrypted, sealedSecretContexts.hubOidcClientSecret(hub.id)),
    ).not.toBe(before.clientSecret);
    expect(after.rotatedAt).toEqual(rotatedAt);
    const job = queues.getJob(
      queueNames.provisioning,
      provisionJobId(hub.id, { occasion: "secret-rotation", atMs: rotatedAt.getTime() }),
    );
    expect(job?.data).toMatchObject({ hubId: hub.id, trigger: "secret-rotation" });
  });
});
