/**
 * Writes OkTest back as an OK-format file. Students' copies are written with
 * includeHidden:false so hidden cases never leave the portal; the output is a
 * plain literal that both parseOkTestFile and Python's ast.literal_eval read.
 */
import type { OkTest, OkTestCase, OkTestSuite } from "./types";

/** A Python string literal: double-quoted, every non-printable escaped. */
function pyString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    const ch = value[i]!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code >= 0xd800 && code <= 0xdfff) {
      const nextCode = value.charCodeAt(i + 1);
      if (code <= 0xdbff && nextCode >= 0xdc00 && nextCode <= 0xdfff) {
        out += ch + value[i + 1]!;
        i += 1;
      } else {
        // A lone surrogate cannot be written as UTF-8 source; Python accepts the escape.
        out += `\\u${code.toString(16).padStart(4, "0")}`;
      }
    } else if (code === 0x2028 || code === 0x2029 || code === 0x85) {
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return `${out}"`;
}

function pyNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a Python literal`);
  return String(value);
}

function pyBool(value: boolean): string {
  return value ? "True" : "False";
}

function renderCase(testCase: OkTestCase, indent: string): string {
  const lines = [
    `${indent}{`,
    `${indent}    "code": ${pyString(testCase.code)},`,
    `${indent}    "hidden": ${pyBool(testCase.hidden)},`,
    `${indent}    "locked": ${pyBool(testCase.locked)},`,
  ];
  if (testCase.points !== undefined)
    lines.push(`${indent}    "points": ${pyNumber(testCase.points)},`);
  if (testCase.success_message !== undefined) {
    lines.push(`${indent}    "success_message": ${pyString(testCase.success_message)},`);
  }
  if (testCase.failure_message !== undefined) {
    lines.push(`${indent}    "failure_message": ${pyString(testCase.failure_message)},`);
  }
  lines.push(`${indent}},`);
  return lines.join("\n");
}

function renderSuite(suite: OkTestSuite, includeHidden: boolean): string {
  const cases = suite.cases.filter((testCase) => includeHidden || !testCase.hidden);
  return [
    "        {",
    '            "type": "doctest",',
    `            "scored": ${pyBool(suite.scored)},`,
    `            "setup": ${pyString(suite.setup)},`,
    `            "teardown": ${pyString(suite.teardown)},`,
    cases.length === 0 ? '            "cases": [],' : '            "cases": [',
    ...(cases.length === 0
      ? []
      : [...cases.map((testCase) => renderCase(testCase, "                ")), "            ],"]),
    "        },",
  ].join("\n");
}

export function renderOkTestFile(test: OkTest, options: { includeHidden: boolean }): string {
  return [
    "OK_FORMAT = True",
    "",
    "test = {",
    `    "name": ${pyString(test.name)},`,
    `    "points": ${pyNumber(test.points)},`,
    '    "suites": [',
    ...test.suites.map((suite) => renderSuite(suite, options.includeHidden)),
    "    ],",
    "}",
    "",
  ].join("\n");
}
