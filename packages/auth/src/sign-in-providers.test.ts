import type { Account, User } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { describe, expect, it } from "vitest";
import type { DatabaseClient } from "@hubfed/db";
import { createAuthOptions } from "./auth-options";
import { buildExternalProviders, type ExternalProfile } from "./sign-in-providers";

type AnyOAuth = OAuthConfig<Record<string, unknown>>;

function profileOf(provider: AnyOAuth, raw: Record<string, unknown>) {
  return provider.profile(raw, {}) as ExternalProfile;
}

const [institution, google, github] = buildExternalProviders([
  {
    kind: "institution",
    id: "institution-west-valley",
    name: "West Valley College",
    issuer: "https://login.westvalley.edu/realms/students/",
    clientId: "hubfed",
    clientSecret: "secret",
  },
  { kind: "google", id: "google", name: "Google", clientId: "g", clientSecret: "gs" },
  { kind: "github", id: "github", name: "GitHub", clientId: "h", clientSecret: "hs" },
]) as AnyOAuth[];

describe("external sign-in providers", () => {
  it("discovers an institution's provider from its issuer and uses PKCE and state", () => {
    expect(institution?.wellKnown).toBe(
      "https://login.westvalley.edu/realms/students/.well-known/openid-configuration",
    );
    expect(institution?.checks).toEqual(["pkce", "state"]);
    expect(institution?.idToken).toBe(true);
  });

  it("trusts an institution's email unless it says it is unverified", () => {
    if (!institution) throw new Error("no provider");
    expect(profileOf(institution, { sub: "1", email: "a@westvalley.edu" }).emailVerified).toBe(
      true,
    );
    expect(
      profileOf(institution, { sub: "1", email: "a@westvalley.edu", email_verified: false })
        .emailVerified,
    ).toBe(false);
  });

  it("trusts a Google email only when Google says it is verified", () => {
    if (!google) throw new Error("no provider");
    expect(profileOf(google, { sub: "g1", email: "a@gmail.com" }).emailVerified).toBe(false);
    expect(
      profileOf(google, { sub: "g1", email: "a@gmail.com", email_verified: true }).emailVerified,
    ).toBe(true);
  });

  it("uses GitHub's verified primary email only", () => {
    if (!github) throw new Error("no provider");
    expect(
      profileOf(github, { id: 7, login: "ana", name: null, verifiedPrimaryEmail: null }),
    ).toEqual({ id: "7", name: "ana", email: null, emailVerified: false });
    expect(
      profileOf(github, { id: 7, login: "ana", name: "Ana", verifiedPrimaryEmail: "ana@x.org" }),
    ).toEqual({ id: "7", name: "Ana", email: "ana@x.org", emailVerified: true });
  });
});

describe("the sign-in callback", () => {
  const decisions: { providerId: string; profile: ExternalProfile }[] = [];
  const options = createAuthOptions({
    db: {} as DatabaseClient,
    secret: "x".repeat(32),
    external: {
      providers: [],
      resolveSignIn(providerId, profile) {
        decisions.push({ providerId, profile });
        return Promise.resolve(
          profile.email?.endsWith("@westvalley.edu")
            ? { allowed: true as const, userId: "hubfed-user-1" }
            : { allowed: false as const, reason: "email-domain-not-allowed" },
        );
      },
    },
  });
  const signIn = options.callbacks?.signIn;
  const account = (provider: string) =>
    ({ provider, providerAccountId: "sub-1", type: "oauth" }) as Account;

  it("turns the provider's user into the Hubfed user it resolves to", async () => {
    const user = { id: "sub-1", email: "a@westvalley.edu", emailVerified: true } as unknown as User;
    await expect(signIn?.({ user, account: account("institution-west-valley") })).resolves.toBe(
      true,
    );
    expect(user.id).toBe("hubfed-user-1");
    expect(decisions.at(-1)).toMatchObject({
      providerId: "institution-west-valley",
      profile: { id: "sub-1", emailVerified: true },
    });
  });

  it("sends a refused sign-in back to the sign-in page with the reason", async () => {
    const user = { id: "sub-1", email: "a@evil.example", emailVerified: true } as unknown as User;
    await expect(signIn?.({ user, account: account("institution-west-valley") })).resolves.toBe(
      "/signin?error=email-domain-not-allowed",
    );
  });
});
