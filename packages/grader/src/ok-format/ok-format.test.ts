import { zipSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import {
  parseOkTestFile,
  readAssignmentBundle,
  readAutograderZip,
  renderOkTestFile,
} from "./index";
import type { OkTest } from "./types";

const q1 = `OK_FORMAT = True

test = {
  "name": "q1", "points": 1,
  "suites": [{
    "type": "doctest", "scored": True, "setup": "", "teardown": "",
    "cases": [
      {"code": ">>> x == 2\\nTrue", "hidden": False, "locked": False},
      {"code": ">>> f(10)\\n20", "hidden": True, "locked": False}
    ]
  }]
}
`;

function testFile(body: string, name = "q1"): string {
  return `test = {"name": "${name}", "points": 2, "suites": [{"type": "doctest", "scored": True, "setup": "", "teardown": "", "cases": [${body}]}]}\n`;
}

describe("parseOkTestFile reads Otter's OK format without running it", () => {
  it("reads the reference example", () => {
    const result = parseOkTestFile("tests/q1.py", q1);
    expect(result).toEqual({
      ok: true,
      test: {
        name: "q1",
        points: 1,
        suites: [
          {
            type: "doctest",
            scored: true,
            setup: "",
            teardown: "",
            cases: [
              { code: ">>> x == 2\nTrue", hidden: false, locked: false },
              { code: ">>> f(10)\n20", hidden: true, locked: false },
            ],
          },
        ],
      },
    });
  });

  const codeOf = (source: string) => {
    const result = parseOkTestFile("tests/q1.py", testFile(source));
    if (!result.ok) throw new Error(result.problem);
    return result.test.suites[0]!.cases[0]!.code;
  };

  it.each([
    ["single quotes", `{'code': '>>> x\\n1'}`, ">>> x\n1"],
    ["triple quotes with real newlines", `{"code": """>>> x\n1"""}`, ">>> x\n1"],
    [
      "triple single quotes holding a double quote",
      `{"code": '''>>> s\n'say "hi"' '''}`,
      `>>> s\n'say "hi"' `,
    ],
    [
      "raw strings keep backslashes",
      String.raw`{"code": r">>> '\d+'\n'\\d+'"}`,
      String.raw`>>> '\d+'\n'\\d+'`,
    ],
    ["raw strings: an escaped quote does not close", `{"code": r">>> \\"x\\""}`, '>>> \\"x\\"'],
    ["implicit concatenation across lines", `{"code": ">>> x" "\\n"\n   '1'}`, ">>> x\n1"],
    [
      "hex, unicode and octal escapes",
      `{"code": ">>> s\\n'\\x41\\u00e9\\U0001F600\\101'"}`,
      ">>> s\n'Aé😀A'",
    ],
    ["unicode written directly", `{"code": ">>> s\\n'héllo 😀'"}`, ">>> s\n'héllo 😀'"],
    ["unknown escapes keep their backslash", `{"code": ">>> s\\n'\\d'"}`, ">>> s\n'\\d'"],
    [
      "a backslash-newline inside a string joins lines",
      `{"code": ">>> x \\\n== 1\\nTrue"}`,
      ">>> x == 1\nTrue",
    ],
    [
      "comments and trailing commas",
      `{"code": ">>> x\\n1", # why\n "hidden": False,}, # end\n`,
      ">>> x\n1",
    ],
    ["an indented prompt", `{"code": "    >>> x\\n    1"}`, "    >>> x\n    1"],
  ])("%s", (_label, source, expected) => {
    expect(codeOf(source)).toBe(expected);
  });

  it.each([
    ["an int", "3", 3],
    ["a float", "0.5", 0.5],
    ["an exponent", "1e1", 10],
    ["underscores", "1_0", 10],
    ["None means Otter's default", "None", 1],
  ])("reads points written as %s", (_label, points, expected) => {
    const source = `test = {"name": "q1", "points": ${points}, "suites": [{"cases": [{"code": ">>> 1\\n1"}]}]}`;
    const result = parseOkTestFile("tests/q1.py", source);
    expect(result.ok && result.test.points).toBe(expected);
  });

  it("keeps per-case points and the optional messages", () => {
    const result = parseOkTestFile(
      "tests/q1.py",
      testFile(
        `{"code": ">>> 1\\n1", "points": 0.5, "success_message": "well done", "failure_message": "look again"}`,
      ),
    );
    expect(result.ok && result.test.suites[0]!.cases[0]).toEqual({
      code: ">>> 1\n1",
      hidden: false,
      locked: false,
      points: 0.5,
      success_message: "well done",
      failure_message: "look again",
    });
  });

  const deep = `test = ${"[".repeat(5000)}${"]".repeat(5000)}`;

  it.each([
    [
      "an unterminated string",
      `test = {"name": "q1\n}`,
      "tests/q1.py line 1: this string is never closed",
    ],
    [
      "an unterminated triple-quoted string",
      `test = {"name": """q1\n}\n`,
      "tests/q1.py line 1: this triple-quoted string is never closed",
    ],
    [
      "nested quotes closing early",
      `test = {"name": "say "hi"", "points": 1}`,
      "tests/q1.py line 1: expected ',' or '}' after a dict value, found 'hi'",
    ],
    [
      "a missing colon",
      `test = {\n  "name" "q1",\n  "points" 1}`,
      "tests/q1.py line 2: expected ':' after a dict key, found ','",
    ],
    [
      "__import__",
      `test = __import__('os').system('true')`,
      "tests/q1.py line 1: a call to __import__(...) is not a literal",
    ],
    [
      "a call inside the dict",
      `test = {"name": "q1", "points": len("ab")}`,
      "line 1: a call to len(...) is not a literal",
    ],
    ["an attribute", `test = {"name": os.name}`, "'os.…' is not a literal"],
    ["an import", `import os\ntest = {}`, "tests/q1.py line 1: imports are not allowed"],
    ["another statement", `print("hi")`, "only 'OK_FORMAT = True' and 'test = {...}' are allowed"],
    [
      "another assignment",
      `x = 1\ntest = {}`,
      "only 'OK_FORMAT' and 'test' may be assigned in a test file, found 'x'",
    ],
    [
      "an operator",
      `test = {"points": 1 + 1}`,
      "expected ',' or '}' after a dict value, found '+'",
    ],
    ["an f-string", `test = {"name": f"q{1}"}`, "f-strings are not allowed"],
    ["a byte string", `test = {"name": b"q1"}`, "byte strings"],
    ["huge nesting", deep, "nested more than 64 levels deep"],
    ["no test", `OK_FORMAT = True`, "tests/q1.py: the file does not define 'test = {...}'"],
    ["test is not a dict", `test = [1]`, "'test' must be a dict, found a list"],
    [
      "a name that differs from the file",
      testFile(`{"code": ">>> 1\\n1"}`, "q3"),
      "name 'q3' does not match the file name q1.py",
    ],
    ["empty cases", testFile(""), "tests/q1.py line 1: 'cases' must be a non-empty list"],
    [
      "no suites",
      `test = {"name": "q1", "points": 1, "suites": []}`,
      "'suites' must be a non-empty list",
    ],
    [
      "code without a prompt",
      testFile(`{"code": "x == 2\\nTrue"}`),
      "a case's code has no '>>> ' prompt",
    ],
    ["a locked case", testFile(`{"code": ">>> 1\\n1", "locked": True}`), "is locked"],
    [
      "a non-doctest suite",
      `test = {"name": "q1", "suites": [{"type": "wwpp", "cases": []}]}`,
      "only 'doctest' suites are supported",
    ],
    [
      "negative points",
      `test = {"name": "q1", "points": -1, "suites": []}`,
      "'points' of 'test' cannot be negative",
    ],
    [
      "points as a string",
      `test = {"name": "q1", "points": "1", "suites": [{"cases": [{"code": ">>> 1"}]}]}`,
      "'points' of 'test' must be a number",
    ],
    [
      "hidden as a string",
      testFile(`{"code": ">>> 1\\n1", "hidden": "yes"}`),
      "'hidden' of case 1 of suite 1 must be True or False",
    ],
    ["a duplicated key", `test = {"name": "q1", "name": "q1"}`, "the key 'name' appears twice"],
    ["a complex number", `test = {"points": 1j}`, "complex numbers are not allowed"],
    ["a stray character", `test = {"name": "q1"} $`, "unexpected character '$'"],
    [
      "a bad hex escape",
      `test = {"name": "\\xZZ"}`,
      "'\\x' must be followed by 2 hexadecimal digits",
    ],
  ])("refuses %s in plain words", (_label, source, fragment) => {
    const result = parseOkTestFile("tests/q1.py", source);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toContain(fragment);
  });
});

const sample: OkTest = {
  name: "q2",
  points: 3,
  suites: [
    {
      type: "doctest",
      scored: true,
      setup: ">>> import math",
      teardown: "",
      cases: [
        {
          code: ">>> s\n'a \"quoted\" \\\\ back\\tslash'\n",
          hidden: false,
          locked: false,
          success_message: "ok",
        },
        { code: ">>> f(10)\n20", hidden: true, locked: false, points: 2 },
        { code: ">>> 'é😀\u0001\u2028'\n'x'", hidden: false, locked: false, points: 0.5 },
      ],
    },
    {
      type: "doctest",
      scored: false,
      setup: "",
      teardown: "",
      cases: [{ code: ">>> 1\n1", hidden: true, locked: false }],
    },
  ],
};

describe("renderOkTestFile writes files parseOkTestFile reads back equal", () => {
  it("round-trips every case when hidden ones are included", () => {
    const text = renderOkTestFile(sample, { includeHidden: true });
    expect(parseOkTestFile("tests/q2.py", text)).toEqual({ ok: true, test: sample });
  });

  it("drops hidden cases for students and keeps suites left empty", () => {
    const text = renderOkTestFile(sample, { includeHidden: false });
    expect(text).not.toContain("f(10)");
    const result = parseOkTestFile("tests/q2.py", text, { allowEmptyCases: true });
    expect(result.ok && result.test.suites.map((suite) => suite.cases.length)).toEqual([2, 0]);
  });
});

const enc = (text: string) => new TextEncoder().encode(text);
const notebook = JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 });

describe("readAssignmentBundle and readAutograderZip sort an upload and list its problems", () => {
  it("sorts a folder into notebook, tests and support files", () => {
    const bundle = readAssignmentBundle([
      { path: "lab01.ipynb", content: enc(notebook) },
      { path: "tests/q1.py", content: enc(q1) },
      { path: "data/table.csv", content: enc("a,b\n1,2\n") },
      { path: "__MACOSX/._lab01.ipynb", content: enc("junk") },
    ]);
    expect(bundle.problems).toEqual([]);
    expect(bundle.notebook?.name).toBe("lab01.ipynb");
    expect(bundle.tests.map((test) => test.name)).toEqual(["q1"]);
    expect(bundle.supportFiles).toEqual([
      { path: "data/table.csv", contentBase64: btoa("a,b\n1,2\n") },
    ]);
  });

  it("reads Otter's autograder.zip: tests/ and files/, ignoring Otter's machinery", () => {
    const zip = zipSync({
      "tests/q1.py": strToU8(q1),
      "tests/q2.py": strToU8(testFile(`{"code": ">>> 1\\n1"}`, "q2")),
      "files/data.csv": strToU8("x\n"),
      "otter_config.json": strToU8("{}"),
      "requirements.txt": strToU8(""),
      run_autograder: strToU8("#!/bin/sh"),
    });
    const bundle = readAutograderZip(zip);
    expect(bundle.problems).toEqual([]);
    expect(bundle.tests.map((test) => test.name)).toEqual(["q1", "q2"]);
    expect(bundle.supportFiles.map((file) => file.path)).toEqual(["data.csv"]);
  });

  const many = Array.from({ length: 201 }, (_, i) => ({ path: `f${i}.txt`, content: enc("x") }));

  it.each([
    ["a '..' path", [{ path: "../etc/passwd", content: enc("x") }], "the path contains '..'"],
    ["an absolute path", [{ path: "/etc/passwd", content: enc("x") }], "the path is absolute"],
    ["too many files", many, "at most 200 are allowed"],
    [
      "more than 20 MB",
      [{ path: "big.bin", content: new Uint8Array(21 * 1024 * 1024) }],
      "at most 20 MB is allowed",
    ],
    ["no tests", [{ path: "lab.ipynb", content: enc(notebook) }], "the upload has no tests"],
    [
      "a duplicated question name",
      [
        { path: "tests/q1.py", content: enc(q1) },
        { path: "tests/q1.py", content: enc(q1) },
      ],
      "the question name 'q1' is also used by tests/q1.py",
    ],
    [
      "a notebook that is not JSON",
      [{ path: "lab.ipynb", content: enc("{not json") }],
      "is not a Jupyter notebook",
    ],
    [
      "a notebook without cells",
      [{ path: "lab.ipynb", content: enc("{}") }],
      "is not a Jupyter notebook",
    ],
    [
      "a broken test file",
      [{ path: "tests/q1.py", content: enc("test = __import__('os')") }],
      "is not a literal",
    ],
  ])("refuses %s", (_label, files, fragment) => {
    const bundle = readAssignmentBundle(files);
    expect(bundle.problems.map((p) => p.problem).join("\n")).toContain(fragment);
  });

  it("refuses a zip bomb from its directory, before inflating it", () => {
    const zip = zipSync({ "files/zeros.bin": new Uint8Array(25 * 1024 * 1024) }, { level: 9 });
    expect(zip.length).toBeLessThan(100 * 1024);
    expect(readAutograderZip(zip).problems[0]!.problem).toContain("more than 20 MB once unpacked");
  });

  it("refuses bytes that are not a zip", () => {
    expect(readAutograderZip(enc("hello")).problems[0]!.problem).toBe(
      "the file is not a readable zip archive",
    );
  });
});
