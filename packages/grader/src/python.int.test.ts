import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderOkTestFile } from "./ok-format";
import { studentModulePath } from "./python-files";

const testsDirectory = mkdtempSync(path.join(tmpdir(), "hubfed-rendered-"));

afterAll(() => rmSync(testsDirectory, { recursive: true, force: true }));

describe("the student module (python/hubfed_autograder.py) under the real Python students get", () => {
  it("passes its unittest suite, reading test files our renderer wrote", () => {
    // Written by the TypeScript renderer, as the portal does for students: hidden cases left out.
    writeFileSync(
      path.join(testsDirectory, "q1.py"),
      renderOkTestFile(
        {
          name: "q1",
          points: 2,
          suites: [
            {
              type: "doctest",
              scored: true,
              setup: "",
              teardown: "",
              cases: [
                {
                  code: ">>> x == 2\nTrue",
                  hidden: false,
                  locked: false,
                  failure_message: "x should be 2",
                },
                {
                  code: '>>> s = "quote \\" and \\\\ é"\n>>> len(s) > 0\nTrue',
                  hidden: false,
                  locked: false,
                },
                { code: ">>> f(10)\n20", hidden: true, locked: false },
              ],
            },
          ],
        },
        { includeHidden: false },
      ),
    );
    writeFileSync(
      path.join(testsDirectory, "q2.py"),
      renderOkTestFile(
        {
          name: "q2",
          points: 1,
          suites: [
            {
              type: "doctest",
              scored: true,
              setup: "",
              teardown: "",
              cases: [{ code: ">>> 1\n1", hidden: true, locked: false }],
            },
          ],
        },
        { includeHidden: false },
      ),
    );
    const result = spawnSync(
      "/usr/bin/python3",
      [
        "-m",
        "unittest",
        "-v",
        path.join(path.dirname(studentModulePath), "test_hubfed_autograder.py"),
      ],
      {
        cwd: path.dirname(studentModulePath),
        env: { PATH: "/usr/bin:/bin", HUBFED_RENDERED_TESTS: testsDirectory, HOME: testsDirectory },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(result.stderr).toMatch(/\nOK\n?$/);
    expect(result.status).toBe(0);
  });
});
