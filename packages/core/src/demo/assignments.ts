import type { DatabaseClient, Prisma } from "@hubfed/db";
import { readAssignmentBundle } from "@hubfed/grader/ok-format";
import { localDateTimeToUtc } from "../courses/time-zones";

// The demo's assignment: a Data 8-style lab in CS 120's content repository
// (the demo's fake GitHub serves these same files), seeded published on the
// local-runtime course so the autograder can be tried from the first start.

const markdown = (source: string) => ({ cell_type: "markdown", metadata: {}, source });
const code = (source: string) => ({
  cell_type: "code",
  metadata: {},
  execution_count: null,
  outputs: [],
  source,
});

const labNotebook = JSON.stringify(
  {
    cells: [
      markdown(
        "# Lab 1: names and functions\n\nRun each cell with Shift-Enter. After each answer, run its `check(...)` cell: it runs the public tests and shows what failed. When you are done, save (Ctrl-S) and run `submit()` at the bottom.",
      ),
      code("from hubfed_autograder import check, submit"),
      markdown("**Question 1.** Assign `seconds_in_a_day` the number of seconds in one day."),
      code("seconds_in_a_day = ..."),
      code('check("q1")'),
      markdown("**Question 2.** Complete `double` so that it returns twice its argument."),
      code("def double(x):\n    return ..."),
      code('check("q2")'),
      markdown("## Submit\n\nSave the notebook first (Ctrl-S), then run:"),
      code("submit()"),
    ],
    metadata: {
      kernelspec: { display_name: "Python 3", language: "python", name: "python3" },
      language_info: { name: "python" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  },
  null,
  1,
);

const okTest = (name: string, points: number, cases: Array<[string, string, boolean]>) =>
  `OK_FORMAT = True

test = {
    "name": "${name}",
    "points": ${points},
    "suites": [
        {
            "type": "doctest",
            "scored": True,
            "setup": "",
            "teardown": "",
            "cases": [
${cases
  .map(
    ([source, want, hidden]) =>
      `                {"code": ${JSON.stringify(`>>> ${source}\n${want}`)}, "hidden": ${hidden ? "True" : "False"}, "locked": False},`,
  )
  .join("\n")}
            ],
        }
    ],
}
`;

/** The lab's folder in cascade-cs/cs120, as an instructor would commit it (Otter's layout). */
export const demoLabFiles: Record<string, string> = {
  "lab1/lab1.ipynb": labNotebook,
  "lab1/tests/q1.py": okTest("q1", 2, [
    ["isinstance(seconds_in_a_day, int)", "True", false],
    ["seconds_in_a_day", "86400", true],
  ]),
  "lab1/tests/q2.py": okTest("q2", 2, [
    ["double(2)", "4", false],
    ["double(-3.5)", "-7.0", true],
  ]),
};

export const demoAssignment = {
  course: "ccc-cs-120-fa26",
  slug: "lab-1",
  code: "cs120lab1",
  title: "Lab 1: names and functions",
  repositoryUrl: "https://github.com/cascade-cs/cs120",
  branch: "main",
  folder: "lab1",
  publishedBy: "prof.okafor@cascade.edu",
};

/** Seeds the lab published, due a week after the first seed, once. */
export async function seedDemoAssignment(db: DatabaseClient, now = new Date()): Promise<void> {
  const course = await db.course.findUniqueOrThrow({ where: { slug: demoAssignment.course } });
  const existing = await db.assignment.findUnique({
    where: { courseId_slug: { courseId: course.id, slug: demoAssignment.slug } },
  });
  if (existing) return;
  const prefix = `${demoAssignment.folder}/`;
  const bundle = readAssignmentBundle(
    Object.entries(demoLabFiles)
      .filter(([file]) => file.startsWith(prefix))
      .map(([file, content]) => ({
        path: file.slice(prefix.length),
        content: Buffer.from(content, "utf8"),
      })),
  );
  if (!bundle.notebook || bundle.problems.length > 0)
    throw new Error(`The demo lab does not read: ${JSON.stringify(bundle.problems)}`);
  const publisher = await db.user.findUniqueOrThrow({
    where: { email: demoAssignment.publishedBy },
  });
  const dueDay = new Date(now.getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
  await db.$transaction(async (tx) => {
    const assignment = await tx.assignment.create({
      data: {
        courseId: course.id,
        slug: demoAssignment.slug,
        title: demoAssignment.title,
        dueAt: localDateTimeToUtc(`${dueDay}T23:59`, course.timezone),
        timeZone: course.timezone,
        latePolicy: "PENALTY_PER_DAY",
        latePenaltyPercentPerDay: 10,
        points: 10,
        attemptsAllowed: 5,
        hiddenResults: "AFTER_DUE",
        source: "REPOSITORY",
        repositoryUrl: demoAssignment.repositoryUrl,
        branch: demoAssignment.branch,
        repositoryPath: demoAssignment.folder,
        notebookName: "lab1.ipynb",
        material: {
          notebook: bundle.notebook?.content ?? "",
          tests: bundle.tests,
          supportFiles: bundle.supportFiles,
        } as unknown as Prisma.InputJsonValue,
        publishedAt: now,
        createdById: publisher.id,
      },
    });
    await tx.contentLink.create({
      data: {
        courseId: course.id,
        code: demoAssignment.code,
        title: demoAssignment.title,
        repositoryUrl: demoAssignment.repositoryUrl,
        branch: demoAssignment.branch,
        path: demoAssignment.folder,
        interface: "CLASSIC",
        verification: "OK",
        verifiedAt: now,
        assignmentId: assignment.id,
        createdById: publisher.id,
      },
    });
  });
}
