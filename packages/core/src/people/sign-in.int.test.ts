import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { createSecretBox, sealedSecretContexts } from "@hubfed/identity/secret-box";
import { seedDemoFederation } from "../testing/demo-federation";
import { institutionProviderId, loadSignInProviderConfigs, resolveExternalSignIn } from "./sign-in";

const database = useTestDatabase();
const secretBox = createSecretBox(Buffer.alloc(32, 3).toString("base64"));

async function westValley() {
  const { db } = database();
  if ((await db.user.count()) === 0) await seedDemoFederation(db);
  return db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } });
}

describe("sign-in providers and account linking", () => {
  it("offers an institution's provider once it is configured, with its secret unsealed", async () => {
    const { db } = database();
    const institution = await westValley();
    expect(await loadSignInProviderConfigs(db, secretBox, {})).toEqual([]);
    await db.institution.update({
      where: { id: institution.id },
      data: {
        oidcIssuer: "https://login.westvalley.edu",
        oidcClientId: "hubfed",
        oidcClientSecretEncrypted: secretBox.seal(
          "campus-secret",
          sealedSecretContexts.institutionOidcClientSecret(institution.id),
        ),
      },
    });
    const configs = await loadSignInProviderConfigs(db, secretBox, {
      githubClientId: "gh",
      githubClientSecret: "ghs",
      googleClientId: "only-an-id",
    });
    expect(configs).toEqual([
      expect.objectContaining({
        kind: "institution",
        id: institutionProviderId("west-valley"),
        clientSecret: "campus-secret",
        emailDomains: institution.emailDomains,
      }),
      expect.objectContaining({ kind: "github", id: "github" }),
    ]);
  });

  it("links a new provider account to the existing user with the same verified email", async () => {
    const { db } = database();
    const institution = await westValley();
    const student = await db.user.findUniqueOrThrow({ where: { email: "student@westvalley.edu" } });
    const decision = await resolveExternalSignIn(db, {
      provider: institutionProviderId("west-valley"),
      providerAccountId: "campus-sub-1",
      email: "Student@WestValley.edu",
      emailVerified: true,
      institution: { id: institution.id, emailDomains: institution.emailDomains },
    });
    expect(decision).toEqual({ allowed: true, userId: student.id, linked: "verified-email" });
    const again = await resolveExternalSignIn(db, {
      provider: institutionProviderId("west-valley"),
      providerAccountId: "campus-sub-1",
      email: "someone-else@westvalley.edu",
      emailVerified: true,
    });
    expect(again).toEqual({ allowed: true, userId: student.id, linked: "existing-account" });
    expect(await db.account.count({ where: { userId: student.id } })).toBe(1);
    expect(
      await db.auditEvent.count({ where: { action: "account.linked", subjectId: student.id } }),
    ).toBe(1);
  });

  it("never links through an unverified email", async () => {
    const { db } = database();
    await westValley();
    const decision = await resolveExternalSignIn(db, {
      provider: "github",
      providerAccountId: "gh-42",
      email: "student@westvalley.edu",
      emailVerified: false,
    });
    expect(decision).toEqual({ allowed: false, reason: "email-not-verified" });
    expect(await db.account.count({ where: { provider: "github" } })).toBe(0);
  });

  it("refuses an email outside the institution's domains through its provider", async () => {
    const { db } = database();
    const institution = await westValley();
    const decision = await resolveExternalSignIn(db, {
      provider: institutionProviderId("west-valley"),
      providerAccountId: "campus-sub-2",
      email: "prof.okafor@cascade.edu",
      emailVerified: true,
      institution: { id: institution.id, emailDomains: institution.emailDomains },
    });
    expect(decision).toEqual({ allowed: false, reason: "email-domain-not-allowed" });
  });

  it("creates a new person with a hub-safe username and an institution membership", async () => {
    const { db } = database();
    const institution = await westValley();
    const decision = await resolveExternalSignIn(db, {
      provider: institutionProviderId("west-valley"),
      providerAccountId: "campus-sub-3",
      email: "new.student@westvalley.edu",
      emailVerified: true,
      name: "New Student",
      institution: { id: institution.id, emailDomains: institution.emailDomains },
    });
    if (!decision.allowed) throw new Error("refused");
    expect(decision.linked).toBe("new-user");
    const user = await db.user.findUniqueOrThrow({
      where: { id: decision.userId },
      include: { institutionMemberships: true },
    });
    expect(user.username).toBe("new-student");
    expect(user.emailVerified).not.toBeNull();
    expect(user.institutionMemberships).toEqual([
      expect.objectContaining({ institutionId: institution.id, role: "MEMBER" }),
    ]);
  });

  it("gives a second person with the same name part the next free username", async () => {
    const { db } = database();
    const institution = await westValley();
    const decision = await resolveExternalSignIn(db, {
      provider: institutionProviderId("west-valley"),
      providerAccountId: "campus-sub-4",
      email: "new_student@westvalley.edu",
      emailVerified: true,
      institution: { id: institution.id, emailDomains: institution.emailDomains },
    });
    if (!decision.allowed) throw new Error("refused");
    const user = await db.user.findUniqueOrThrow({ where: { id: decision.userId } });
    expect(user.username).toBe("new-student-2");
  });
});
