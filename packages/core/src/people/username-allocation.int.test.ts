import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { createPeople, findOrCreateUserByEmail, usernamePattern } from "./create-user";
import { resolveExternalSignIn } from "./sign-in";

// The hardening issue, item 4: with `ana` and `ana-2` taken, a person whose address yields `ana-2`
// used to get `ana-2` again. Every test here hands the allocator an adversarial set of addresses
// and checks the one property that matters: no name is ever handed out twice.

const database = useTestDatabase();

async function seedUsernames(usernames: string[]) {
  const { db } = database();
  await db.user.createMany({
    data: usernames.map((username) => ({ email: `${username}@seeded.example`, username })),
  });
}

async function expectAllUsernamesUnique() {
  const rows = await database().db.user.findMany({ select: { username: true } });
  const usernames = rows.map((row) => row.username);
  expect(new Set(usernames).size).toBe(usernames.length);
  for (const username of usernames) expect(username).toMatch(usernamePattern);
}

describe("username allocation never hands out a taken name", () => {
  it("gives an address that yields an existing suffixed name (ana-2) the next free one", async () => {
    await seedUsernames(["ana", "ana-2", "ana-2-2"]);
    const { db } = database();
    const suffixed = await findOrCreateUserByEmail(db, { email: "ana-2@colliding.edu" });
    expect(suffixed.username).toBe("ana-2-3");
    const plain = await findOrCreateUserByEmail(db, { email: "ana@colliding.edu" });
    expect(plain.username).toBe("ana-3");
    await expectAllUsernamesUnique();
  });

  it("skips names taken by addresses whose own local part already ends in -N", async () => {
    await seedUsernames(["bob-3", "bob-3-2"]);
    const { db } = database();
    const { users } = await createPeople(db, [
      { email: "bob@suffixes.edu" },
      { email: "bob.2@suffixes.edu" },
      { email: "bob-2@other.edu" },
      { email: "bob@other.edu" },
      { email: "bob_3@suffixes.edu" },
    ]);
    expect([...users.values()].map((user) => user.username)).toEqual([
      "bob",
      "bob-2",
      "bob-2-2",
      "bob-4",
      "bob-3-3",
    ]);
    await expectAllUsernamesUnique();
  });

  it("keeps names apart that only collide after normalisation (case, accents, width, scripts)", async () => {
    const { db } = database();
    const { users, created } = await createPeople(db, [
      { email: "José.Núñez@unicode.edu" },
      { email: "jose.nunez@unicode.edu" },
      { email: "JOSE_NUNEZ@elsewhere.edu" },
      { email: "ｊｏｓｅ．ｎｕｎｅｚ@fullwidth.edu" },
      { email: "用户@unicode.edu" },
      { email: "Ωμέγα@unicode.edu" },
      { email: "123@unicode.edu" },
      // The same person twice, differently cased: one account.
      { email: "JOSE.NUNEZ@unicode.edu" },
    ]);
    expect(created.size).toBe(7);
    expect(users.get("josé.núñez@unicode.edu")?.username).toBe("jose-nunez");
    expect(users.get("jose.nunez@unicode.edu")?.username).toBe("jose-nunez-2");
    expect(users.get("ｊｏｓｅ．ｎｕｎｅｚ@fullwidth.edu")?.username).toBe("jose-nunez-4");
    const usernames = [...created].map((email) => users.get(email)?.username);
    expect(new Set(usernames).size).toBe(7);
    expect(usernames.filter((username) => username?.startsWith("user"))).toHaveLength(3);
    await expectAllUsernamesUnique();
  });

  it("stays within 32 characters when very long local parts share their first 24", async () => {
    const prefix = "a".repeat(23) + "b";
    await seedUsernames([prefix, `${prefix}-2`, `${prefix}-10`]);
    const { db } = database();
    const emails = Array.from(
      { length: 12 },
      (_, index) => `${prefix}${"x".repeat(30)}${index}@long.edu`,
    );
    const { users } = await createPeople(
      db,
      emails.map((email) => ({ email })),
    );
    for (const email of emails) {
      const username = users.get(email)?.username ?? "";
      expect(username.length).toBeLessThanOrEqual(32);
      expect(username.startsWith(`${prefix}-`)).toBe(true);
    }
    await expectAllUsernamesUnique();
  });

  it("holds for a shuffled stream of colliding addresses, in batches and one at a time", async () => {
    const { db } = database();
    const locals = ["cy", "cy-2", "cy.2", "Cy_2", "cy-2-2", "cy--3", "cy3", "çy", "cy-02", "c-y"];
    const domains = ["a.edu", "b.edu", "c.edu"];
    const addresses = domains.flatMap((domain) => locals.map((local) => `${local}@${domain}`));
    // A fixed shuffle: deterministic, but no order the allocator could rely on.
    const shuffled = addresses
      .map((email, index) => ({ email, key: (index * 7919) % addresses.length }))
      .sort((left, right) => left.key - right.key)
      .map(({ email }) => email);
    for (let index = 0; index < shuffled.length; index += 7) {
      const batch = shuffled.slice(index, index + 7);
      if (index % 2 === 0)
        await createPeople(
          db,
          batch.map((email) => ({ email })),
        );
      else for (const email of batch) await findOrCreateUserByEmail(db, { email });
    }
    expect(
      await db.user.count({ where: { email: { in: addresses.map((a) => a.toLowerCase()) } } }),
    ).toBe(addresses.length);
    await expectAllUsernamesUnique();
  });

  it("lets a first sign-in through when its address yields a taken suffixed name", async () => {
    await seedUsernames(["dee", "dee-2"]);
    const decision = await resolveExternalSignIn(database().db, {
      provider: "github",
      providerAccountId: "dee-2-github",
      email: "dee-2@signin.edu",
      emailVerified: true,
    });
    expect(decision).toMatchObject({ allowed: true, linked: "new-user" });
    const user = await database().db.user.findUniqueOrThrow({
      where: { email: "dee-2@signin.edu" },
    });
    expect(user.username).toBe("dee-2-2");
  });
});

describe("username allocation under concurrency relies on the unique constraint", () => {
  it("a creation that races another for the same name waits, loses, and takes the next one", async () => {
    const { db } = database();
    let releaseFirst: () => void = () => undefined;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstInserted: () => void = () => undefined;
    const firstHasInserted = new Promise<void>((resolve) => (firstInserted = resolve));
    // The first creation inserts `eve` and holds its transaction open.
    const first = db.$transaction(
      async (tx) => {
        const user = await findOrCreateUserByEmail(tx, { email: "eve@first.edu" });
        firstInserted();
        await firstMayCommit;
        return user;
      },
      { timeout: 30_000 },
    );
    await firstHasInserted;
    // The second cannot see the uncommitted `eve`, proposes it too, and blocks on the index.
    const second = findOrCreateUserByEmail(db, { email: "eve@second.edu" });
    await expect
      .poll(
        async () =>
          (
            await db.$queryRaw<Array<{ waiting: bigint }>>`
              SELECT count(*) AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`
          )[0]?.waiting,
        { timeout: 10_000 },
      )
      .toBe(1n);
    releaseFirst();
    expect((await first).username).toBe("eve");
    expect((await second).username).toBe("eve-2");
    await expectAllUsernamesUnique();
  });

  it("many creations at once for the same base name all succeed with distinct names", async () => {
    const { db } = database();
    const emails = Array.from({ length: 8 }, (_, index) => `fay@racer-${index}.edu`);
    const users = await Promise.all(
      emails.map((email) =>
        db.$transaction((tx) => findOrCreateUserByEmail(tx, { email }), { timeout: 30_000 }),
      ),
    );
    expect(new Set(users.map((user) => user.username)).size).toBe(emails.length);
    // The same person created twice at once is one account.
    const twice = await Promise.all([
      findOrCreateUserByEmail(db, { email: "gus@same.edu" }),
      findOrCreateUserByEmail(db, { email: "GUS@same.edu" }),
    ]);
    expect(twice[0].id).toBe(twice[1].id);
    await expectAllUsernamesUnique();
  });
});
