import { z } from "zod";
import type { SupportFile } from "@hubfed/grader/contract";
import type { OkTest } from "@hubfed/grader/ok-format";
import { renderOkTestFile } from "@hubfed/grader/ok-format";

/**
 * An assignment's material as stored (Assignment.material): the student's
 * notebook, every test with its hidden cases, and the support files. It is
 * snapshotted at publish (from the repository or the upload), so grading
 * never depends on GitHub being up, and a regrade after a fix uses the fixed
 * tests. Students receive studentFilesOf(): hidden cases never leave the portal
 * except into the grading sandbox.
 */
export interface AssignmentMaterial {
  notebook: string;
  tests: OkTest[];
  supportFiles: SupportFile[];
}

const okTestSchema: z.ZodType<OkTest> = z.object({
  name: z.string(),
  points: z.number(),
  suites: z.array(
    z.object({
      type: z.literal("doctest"),
      scored: z.boolean(),
      setup: z.string(),
      teardown: z.string(),
      cases: z.array(
        z.object({
          code: z.string(),
          hidden: z.boolean(),
          locked: z.boolean(),
          points: z.number().optional(),
        }),
      ),
    }),
  ),
});

const materialSchema = z.object({
  notebook: z.string(),
  tests: z.array(okTestSchema),
  supportFiles: z.array(z.object({ path: z.string(), contentBase64: z.string() })),
});

/** Reads Assignment.material back; a row that does not parse is a bug, not user input. */
export function parseStoredMaterial(value: unknown): AssignmentMaterial {
  return materialSchema.parse(value);
}

export interface StudentFiles {
  /** The folder in the student's home the assignment lands in: its slug. */
  folder: string;
  notebook: { name: string; content: string };
  /** tests/<q>.py with public cases only, and the support files. */
  files: SupportFile[];
}

const toBase64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** What a student's server receives: the notebook, public tests and support files. */
export function studentFilesOf(assignment: {
  slug: string;
  notebookName: string;
  material: AssignmentMaterial;
}): StudentFiles {
  const tests = assignment.material.tests.map((test) => ({
    path: `tests/${test.name}.py`,
    contentBase64: toBase64(renderOkTestFile(test, { includeHidden: false })),
  }));
  return {
    folder: assignment.slug,
    notebook: { name: assignment.notebookName, content: assignment.material.notebook },
    files: [...tests, ...assignment.material.supportFiles],
  };
}

/** The questions and their points, for the assignment page. */
export function questionsOf(material: AssignmentMaterial): Array<{
  name: string;
  points: number;
  publicCases: number;
  hiddenCases: number;
}> {
  return material.tests.map((test) => {
    const cases = test.suites.flatMap((suite) => suite.cases);
    return {
      name: test.name,
      points: test.points,
      publicCases: cases.filter((testCase) => !testCase.hidden).length,
      hiddenCases: cases.filter((testCase) => testCase.hidden).length,
    };
  });
}
