import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { createAuthOptions, developmentProviderId } from "./auth-options";

// The hardening issue, item 5: once on, the development sign-in accepted any user's email,
// operators included. Against a real database: only the accounts it is given sign in.

const database = useTestDatabase();

/** What this test reads of next-auth's credentials provider: our id and authorize, in its options. */
interface DevelopmentProvider {
  options: {
    id?: string;
    authorize?: (credentials: Record<string, string>, request: unknown) => Promise<unknown>;
  };
}

/** The development provider next-auth was given (its own options carry our id and authorize). */
function developmentProvider(accounts?: readonly string[]): DevelopmentProvider | undefined {
  const options = createAuthOptions({
    db: database().db,
    secret: "x".repeat(32),
    developmentSignIn: accounts ? { accounts } : undefined,
  });
  const provider = options.providers.find((candidate) => candidate.type === "credentials") as
    DevelopmentProvider | undefined;
  return provider?.options.id === developmentProviderId ? provider : undefined;
}

async function signInAs(provider: DevelopmentProvider | undefined, email: string) {
  const authorize = provider?.options.authorize;
  if (!authorize) throw new Error("no development sign-in");
  return await authorize({ email }, {});
}

describe("development sign-in fails closed", () => {
  it("is not offered at all unless the portal passes it accounts", () => {
    expect(developmentProvider()).toBeUndefined();
  });

  it("signs in a listed demo account and refuses every other user, operators included", async () => {
    const { db } = database();
    const demo = await db.user.create({
      data: { email: "ops@hubfed.example", username: "olivia-ops", isOperator: true },
    });
    await db.user.create({
      data: { email: "real-ops@federation.example", username: "real-ops", isOperator: true },
    });
    await db.user.create({ data: { email: "dean@college.edu", username: "dean" } });
    const provider = developmentProvider(["ops@hubfed.example", "student@westvalley.edu"]);
    expect(await signInAs(provider, "OPS@hubfed.example")).toMatchObject({ id: demo.id });
    expect(await signInAs(provider, "real-ops@federation.example")).toBeNull();
    expect(await signInAs(provider, "dean@college.edu")).toBeNull();
    // Listed but never seeded: still nobody.
    expect(await signInAs(provider, "student@westvalley.edu")).toBeNull();
  });
});
