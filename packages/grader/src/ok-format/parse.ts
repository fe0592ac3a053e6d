/**
 * OK-format test files (one `tests/<question>.py` per question) read into
 * OkTest without running Python: instructors upload them to the portal and
 * the portal must tell them, in plain words, what is wrong before a student
 * ever sees the assignment.
 */
import { LiteralSyntaxError, parseAssignments, type PyNode } from "./literal";
import type { OkTest, OkTestCase, OkTestSuite } from "./types";

export type ParseOkTestResult = { ok: true; test: OkTest } | { ok: false; problem: string };

export interface ParseOkTestOptions {
  /**
   * Accept suites without cases. Instructors' files must have cases; the
   * public copies renderOkTestFile writes for students may have none.
   */
  allowEmptyCases?: boolean;
}

class ShapeError extends Error {
  constructor(
    readonly line: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

const promptPattern = /^[ \t]*>>>( |$)/m;

function stemOf(fileName: string): string {
  const base = fileName.split("/").pop() ?? fileName;
  return base.replace(/\.py$/, "");
}

function kindName(node: PyNode): string {
  switch (node.kind) {
    case "str":
      return "a string";
    case "int":
    case "float":
      return "a number";
    case "bool":
      return node.value ? "True" : "False";
    case "none":
      return "None";
    case "list":
      return "a list";
    case "tuple":
      return "a tuple";
    case "dict":
      return "a dict";
  }
}

type DictNode = Extract<PyNode, { kind: "dict" }>;

function fields(node: DictNode, what: string): Map<string, PyNode> {
  const result = new Map<string, PyNode>();
  for (const { key, value } of node.entries) {
    if (key.kind !== "str") {
      throw new ShapeError(key.line, `the keys of ${what} must be strings, found ${kindName(key)}`);
    }
    if (result.has(key.value)) {
      throw new ShapeError(key.line, `the key '${key.value}' appears twice in ${what}`);
    }
    result.set(key.value, value);
  }
  return result;
}

function asDict(node: PyNode | undefined, what: string, line: number): DictNode {
  if (!node || node.kind !== "dict") {
    throw new ShapeError(
      node?.line ?? line,
      `${what} must be a dict${node ? `, found ${kindName(node)}` : ""}`,
    );
  }
  return node;
}

function optionalString(
  map: Map<string, PyNode>,
  key: string,
  what: string,
  fallback: string,
): string;
function optionalString(map: Map<string, PyNode>, key: string, what: string): string | undefined;
function optionalString(
  map: Map<string, PyNode>,
  key: string,
  what: string,
  fallback?: string,
): string | undefined {
  const node = map.get(key);
  if (!node || node.kind === "none") return fallback;
  if (node.kind !== "str")
    throw new ShapeError(
      node.line,
      `'${key}' of ${what} must be a string, found ${kindName(node)}`,
    );
  return node.value;
}

function optionalBool(
  map: Map<string, PyNode>,
  key: string,
  what: string,
  fallback: boolean,
): boolean {
  const node = map.get(key);
  if (!node || node.kind === "none") return fallback;
  if (node.kind !== "bool")
    throw new ShapeError(
      node.line,
      `'${key}' of ${what} must be True or False, found ${kindName(node)}`,
    );
  return node.value;
}

function optionalPoints(map: Map<string, PyNode>, what: string): number | undefined {
  const node = map.get("points");
  if (!node || node.kind === "none") return undefined;
  if (node.kind !== "int" && node.kind !== "float") {
    throw new ShapeError(
      node.line,
      `'points' of ${what} must be a number, found ${kindName(node)}`,
    );
  }
  if (node.value < 0) throw new ShapeError(node.line, `'points' of ${what} cannot be negative`);
  return node.value;
}

function readCase(node: PyNode, caseNumber: number, suiteNumber: number): OkTestCase {
  const what = `case ${caseNumber} of suite ${suiteNumber}`;
  const map = fields(asDict(node, what, node.line), what);
  const code = map.get("code");
  if (!code || code.kind !== "str") {
    throw new ShapeError(
      code?.line ?? node.line,
      `${what} needs 'code', a string with the doctest to run`,
    );
  }
  if (!promptPattern.test(code.value)) {
    throw new ShapeError(code.line, `${what}: a case's code has no '>>> ' prompt`);
  }
  const locked = optionalBool(map, "locked", what, false);
  if (locked) {
    throw new ShapeError(
      map.get("locked")!.line,
      `${what} is locked; unlock it (locked: False) before uploading`,
    );
  }
  const testCase: OkTestCase = {
    code: code.value,
    hidden: optionalBool(map, "hidden", what, false),
    locked: false,
  };
  const points = optionalPoints(map, what);
  if (points !== undefined) testCase.points = points;
  const success = optionalString(map, "success_message", what);
  if (success !== undefined) testCase.success_message = success;
  const failure = optionalString(map, "failure_message", what);
  if (failure !== undefined) testCase.failure_message = failure;
  return testCase;
}

function readSuite(node: PyNode, suiteNumber: number, options: ParseOkTestOptions): OkTestSuite {
  const what = `suite ${suiteNumber}`;
  const map = fields(asDict(node, what, node.line), what);
  const type = optionalString(map, "type", what, "doctest");
  if (type !== "doctest") {
    throw new ShapeError(
      map.get("type")!.line,
      `${what} has type '${type}'; only 'doctest' suites are supported`,
    );
  }
  const cases = map.get("cases");
  if (!cases || cases.kind !== "list" || (cases.items.length === 0 && !options.allowEmptyCases)) {
    throw new ShapeError(cases?.line ?? node.line, `'cases' must be a non-empty list (in ${what})`);
  }
  return {
    type: "doctest",
    scored: optionalBool(map, "scored", what, true),
    setup: optionalString(map, "setup", what, ""),
    teardown: optionalString(map, "teardown", what, ""),
    cases: cases.items.map((item, index) => readCase(item, index + 1, suiteNumber)),
  };
}

export function parseOkTestFile(
  fileName: string,
  source: string,
  options: ParseOkTestOptions = {},
): ParseOkTestResult {
  const fail = (line: number | undefined, message: string): ParseOkTestResult => ({
    ok: false,
    problem: `${fileName}${line === undefined ? "" : ` line ${line}`}: ${message}`,
  });
  try {
    const assignments = parseAssignments(source);
    let testNode: PyNode | undefined;
    for (const assignment of assignments) {
      if (assignment.name === "OK_FORMAT") {
        if (assignment.value.kind !== "bool")
          return fail(assignment.line, "OK_FORMAT must be True or False");
      } else if (assignment.name === "test") {
        if (testNode) return fail(assignment.line, "'test' is assigned twice");
        testNode = assignment.value;
      } else {
        return fail(
          assignment.line,
          `only 'OK_FORMAT' and 'test' may be assigned in a test file, found '${assignment.name}'`,
        );
      }
    }
    if (!testNode) return fail(undefined, "the file does not define 'test = {...}'");
    const map = fields(asDict(testNode, "'test'", testNode.line), "'test'");
    const nameNode = map.get("name");
    if (!nameNode || nameNode.kind !== "str" || nameNode.value.trim() === "") {
      return fail(
        nameNode?.line ?? testNode.line,
        "'test' needs a 'name', the question's name as a string",
      );
    }
    const stem = stemOf(fileName);
    if (nameNode.value !== stem) {
      return fail(
        nameNode.line,
        `name '${nameNode.value}' does not match the file name ${stem}.py`,
      );
    }
    // Otter's default when a question has no points: one point.
    const points = optionalPoints(map, "'test'") ?? 1;
    const suitesNode = map.get("suites");
    if (!suitesNode || suitesNode.kind !== "list" || suitesNode.items.length === 0) {
      return fail(suitesNode?.line ?? testNode.line, "'suites' must be a non-empty list");
    }
    const suites = suitesNode.items.map((item, index) => readSuite(item, index + 1, options));
    return { ok: true, test: { name: nameNode.value, points, suites } };
  } catch (error) {
    if (error instanceof LiteralSyntaxError || error instanceof ShapeError)
      return fail(error.line, error.message);
    if (error instanceof RangeError)
      return fail(undefined, "the file is too deeply nested to read");
    throw error;
  }
}
