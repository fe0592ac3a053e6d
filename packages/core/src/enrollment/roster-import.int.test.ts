import { describe, expect, it } from "vitest";
import { actorFor } from "../testing/demo-federation";
import { commitRosterImport, previewRosterImport } from "./roster-import";
import { useDemoFederation } from "./test-fixtures";

const { database, instructor } = useDemoFederation();
const courseSlug = "wvc-data-101-fa26";

const roster = [
  "email,name,role,section",
  "new.one@westvalley.edu,New One,student,A",
  "student@westvalley.edu,Jordan Lee,,A",
  "ta.chen@westvalley.edu,Sam Chen,student,B",
  "not-an-email,Broken Row,,B",
  "new.two@westvalley.edu,New Two,,B",
  "NEW.ONE@westvalley.edu,Duplicate,,A",
  "new.three@westvalley.edu,New Three,instructor,A",
].join("\n");

async function courseId() {
  return (await database().db.course.findUniqueOrThrow({ where: { slug: courseSlug } })).id;
}

describe("roster CSV import", () => {
  it("previews every row with its outcome or its error, changing nothing", async () => {
    const db = database().db;
    const usersBefore = await db.user.count();
    const preview = await previewRosterImport(db, instructor(), { courseSlug, csv: roster });
    expect(preview.ignoredColumns).toEqual(["section"]);
    expect(preview.rows.map((row) => [row.line, row.outcome])).toEqual([
      [2, "create-and-enroll"],
      [3, "already-enrolled"],
      [4, "error"],
      [5, "error"],
      [6, "create-and-enroll"],
      [7, "error"],
      [8, "error"],
    ]);
    expect(preview.rows[2]?.errors[0]).toMatch(/teaching assistant; left unchanged/);
    expect(preview.rows[3]?.errors[0]).toMatch(/not an email/);
    expect(preview.rows[5]?.errors).toEqual(["Duplicate of line 2"]);
    expect(preview.rows[6]?.errors[0]).toMatch(/invite staff/);
    expect(preview.counts).toEqual({
      "create-and-enroll": 2,
      enroll: 0,
      "already-enrolled": 1,
      error: 4,
    });
    expect(await db.user.count()).toBe(usersBefore);
  });

  it("commits valid rows in one go, returns the rejected ones, and is idempotent", async () => {
    const db = database().db;
    const preview = await previewRosterImport(db, instructor(), { courseSlug, csv: roster });
    const result = await commitRosterImport(db, instructor(), {
      courseSlug,
      csv: roster,
      digest: preview.digest,
    });
    expect(result).toMatchObject({ enrolled: 2, createdAccounts: 2, alreadyEnrolled: 1 });
    expect(result.rejected.map((row) => row.line)).toEqual([4, 5, 7, 8]);

    const created = await db.user.findUniqueOrThrow({ where: { email: "new.one@westvalley.edu" } });
    expect(created.username).toBe("new-one");
    expect(created.name).toBe("New One");
    const enrollment = await db.enrollment.findUniqueOrThrow({
      where: { userId_courseId: { userId: created.id, courseId: await courseId() } },
    });
    expect(enrollment.role).toBe("STUDENT");
    // The TA in the file stays a TA.
    const sam = await db.user.findUniqueOrThrow({
      where: { email: "ta.chen@westvalley.edu" },
      include: { enrollments: { where: { courseId: await courseId() } } },
    });
    expect(sam.enrollments[0]?.role).toBe("TA");
    expect(
      await db.auditEvent.count({
        where: { action: "enrollment.import", subjectId: enrollment.id },
      }),
    ).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "roster.import" } })).toBe(1);

    const again = await commitRosterImport(db, instructor(), {
      courseSlug,
      csv: roster,
      digest: preview.digest,
    });
    expect(again).toMatchObject({ enrolled: 0, createdAccounts: 0, alreadyEnrolled: 3 });
    expect(await db.user.count({ where: { email: { startsWith: "new." } } })).toBe(2);
  });

  it("gives a new person whose username is taken the next free one", async () => {
    const db = database().db;
    await db.user.create({ data: { email: "maria@elsewhere.edu", username: "maria" } });
    await db.user.create({ data: { email: "maria2@elsewhere.edu", username: "maria-2" } });
    const csv = "email\nmaria@westvalley.edu\n";
    const preview = await previewRosterImport(db, instructor(), { courseSlug, csv });
    await commitRosterImport(db, instructor(), { courseSlug, csv, digest: preview.digest });
    expect(
      (await db.user.findUniqueOrThrow({ where: { email: "maria@westvalley.edu" } })).username,
    ).toBe("maria-3");
  });

  it("username allocation never hands out a taken name: rows colliding with each other and with existing users import whole", async () => {
    const db = database().db;
    await db.user.create({ data: { email: "kai@elsewhere.edu", username: "kai" } });
    await db.user.create({ data: { email: "kai2@elsewhere.edu", username: "kai-2" } });
    const emails = [
      // No plain "kai" row: the batch alone must not be what reveals the taken kai-2.
      "kai-2@westvalley.edu",
      "kai.2@westvalley.edu",
      "kai-2-2@westvalley.edu",
      "kai--2@westvalley.edu",
      "kai_2@westvalley.edu",
    ];
    const csv = `email\n${emails.join("\n")}\n`;
    const preview = await previewRosterImport(db, instructor(), { courseSlug, csv });
    expect(preview.counts["create-and-enroll"]).toBe(emails.length);
    const result = await commitRosterImport(db, instructor(), {
      courseSlug,
      csv,
      digest: preview.digest,
    });
    expect(result).toMatchObject({ enrolled: emails.length, createdAccounts: emails.length });
    const users = await db.user.findMany({
      where: { username: { startsWith: "kai" } },
      select: { username: true },
    });
    expect(users).toHaveLength(emails.length + 2);
    expect(new Set(users.map((user) => user.username)).size).toBe(users.length);
  });

  it("refuses a CSV that was not previewed, and loses nothing when the import fails", async () => {
    const db = database().db;
    const csv = "email\nlater.one@westvalley.edu\nlater.two@westvalley.edu\n";
    const preview = await previewRosterImport(db, instructor(), { courseSlug, csv });
    await expect(
      commitRosterImport(db, instructor(), {
        courseSlug,
        csv: `${csv}sneaky@westvalley.edu\n`,
        digest: preview.digest,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });

    // After the preview, someone takes a username the import wanted (it moves
    // on to the next free one), and then one insert fails: the whole import
    // rolls back, accounts included.
    const enrolledBefore = await db.enrollment.count({ where: { courseId: await courseId() } });
    await db.user.create({ data: { email: "someone@else.edu", username: "later-one" } });
    await db.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION fail_later_two() RETURNS trigger AS $$ BEGIN
         IF NEW.email = 'later.two@westvalley.edu' THEN RAISE EXCEPTION 'disk full'; END IF;
         RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await db.$executeRawUnsafe(
      `CREATE TRIGGER fail_later_two BEFORE INSERT ON "User" FOR EACH ROW EXECUTE FUNCTION fail_later_two()`,
    );
    try {
      await expect(
        commitRosterImport(db, instructor(), { courseSlug, csv, digest: preview.digest }),
      ).rejects.toThrow(/disk full/);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER fail_later_two ON "User"`);
    }
    expect(await db.user.count({ where: { email: { startsWith: "later." } } })).toBe(0);
    expect(await db.enrollment.count({ where: { courseId: await courseId() } })).toBe(
      enrolledBefore,
    );

    const retried = await commitRosterImport(db, instructor(), {
      courseSlug,
      csv,
      digest: preview.digest,
    });
    expect(retried).toMatchObject({ enrolled: 2, createdAccounts: 2 });
    expect(
      (await db.user.findUniqueOrThrow({ where: { email: "later.one@westvalley.edu" } })).username,
    ).toBe("later-one-2");
  });

  it("imports the largest allowed roster, 5 000 rows, in one transaction", async () => {
    const db = database().db;
    const csv = [
      "email,name",
      ...Array.from({ length: 5000 }, (_, index) => `bulk.${index}@westvalley.edu,Bulk ${index}`),
    ].join("\n");
    const preview = await previewRosterImport(db, instructor(), { courseSlug, csv });
    expect(preview.counts["create-and-enroll"]).toBe(5000);
    const startedAt = Date.now();
    const result = await commitRosterImport(db, instructor(), {
      courseSlug,
      csv,
      digest: preview.digest,
    });
    const seconds = (Date.now() - startedAt) / 1000;
    expect(result).toMatchObject({ enrolled: 5000, createdAccounts: 5000, rejected: [] });
    expect(
      await db.enrollment.count({
        where: { courseId: await courseId(), user: { email: { startsWith: "bulk." } } },
      }),
    ).toBe(5000);
    // Generous for shared CI cores: preview and import take a few seconds here.
    expect(seconds).toBeLessThan(30);
    await expect(
      previewRosterImport(db, instructor(), {
        courseSlug,
        csv: `${csv}\none.more@westvalley.edu,x`,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("is for instructors: a TA may not import", async () => {
    const db = database().db;
    const ta = await actorFor(db, "ta.chen@westvalley.edu");
    await expect(
      previewRosterImport(db, ta, { courseSlug, csv: "email\na@b.edu\n" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses a file without an email column with a field error", async () => {
    const db = database().db;
    await expect(
      previewRosterImport(db, instructor(), { courseSlug, csv: "name\nAda\n" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { csv: [expect.stringMatching(/email/)] },
    });
  });
});
