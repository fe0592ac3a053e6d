/**
 * An instructor's assignment upload (loose files, or Otter's autograder.zip)
 * sorted into the notebook, the tests and the support files, with every
 * problem listed so the portal can show them all at once.
 */
import { unzipSync } from "fflate";
import type { SupportFile } from "../contract";
import { parseOkTestFile } from "./parse";
import type { OkTest } from "./types";

export interface BundleFile {
  path: string;
  content: Uint8Array;
}

export interface BundleProblem {
  file: string;
  problem: string;
}

export interface AssignmentBundle {
  notebook?: { name: string; content: string };
  tests: OkTest[];
  supportFiles: SupportFile[];
  problems: BundleProblem[];
}

export const bundleLimits = { maxFiles: 200, maxTotalBytes: 20 * 1024 * 1024 } as const;

// Files archivers and editors leave behind; never part of an assignment.
const junkPattern =
  /(^|\/)(__MACOSX|\.ipynb_checkpoints|__pycache__|\.git)(\/|$)|(^|\/)\.DS_Store$/;

// Otter's autograder.zip machinery, which our grader replaces.
const otterMachinery = new Set([
  "otter_config.json",
  "requirements.txt",
  "run_autograder",
  "setup.sh",
  "environment.yml",
  "requirements.r",
]);

function unsafePathReason(path: string): string | undefined {
  if (path === "") return "the path is empty";
  if (path.includes("\\")) return "the path contains a backslash";
  if (path.includes("\0")) return "the path contains a NUL character";
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "the path is absolute";
  if (path.split("/").some((segment) => segment === "..")) return "the path contains '..'";
  return undefined;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return undefined;
  }
}

function isNotebook(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return (
      typeof parsed === "object" &&
      parsed !== null &&
      Array.isArray((parsed as { cells?: unknown }).cells)
    );
  } catch {
    return false;
  }
}

function sortFiles(files: BundleFile[], layout: "bundle" | "zip"): AssignmentBundle {
  const bundle: AssignmentBundle = { tests: [], supportFiles: [], problems: [] };
  const problem = (file: string, text: string) => bundle.problems.push({ file, problem: text });
  const kept = files.filter((file) => !junkPattern.test(file.path) && !file.path.endsWith("/"));
  if (kept.length > bundleLimits.maxFiles) {
    problem(
      "(upload)",
      `the upload has ${kept.length} files; at most ${bundleLimits.maxFiles} are allowed`,
    );
    return bundle;
  }
  const total = kept.reduce((sum, file) => sum + file.content.length, 0);
  if (total > bundleLimits.maxTotalBytes) {
    problem(
      "(upload)",
      `the upload is ${(total / 1024 / 1024).toFixed(1)} MB; at most 20 MB is allowed`,
    );
    return bundle;
  }
  const notebooks: BundleFile[] = [];
  const seenNames = new Map<string, string>();
  for (const file of kept) {
    const unsafe = unsafePathReason(file.path);
    if (unsafe) {
      problem(file.path, `${unsafe}; files must be given relative to the assignment folder`);
      continue;
    }
    const testMatch = /^tests\/([^/]+)\.py$/.exec(file.path);
    if (testMatch) {
      if (testMatch[1] === "__init__") continue;
      const source = decodeUtf8(file.content);
      if (source === undefined) {
        problem(file.path, "the file is not UTF-8 text");
        continue;
      }
      const parsed = parseOkTestFile(file.path, source);
      if (!parsed.ok) {
        problem(file.path, parsed.problem);
        continue;
      }
      const previous = seenNames.get(parsed.test.name);
      if (previous !== undefined) {
        problem(file.path, `the question name '${parsed.test.name}' is also used by ${previous}`);
        continue;
      }
      seenNames.set(parsed.test.name, file.path);
      bundle.tests.push(parsed.test);
      continue;
    }
    if (layout === "zip") {
      if (file.path.startsWith("files/")) {
        bundle.supportFiles.push({
          path: file.path.slice("files/".length),
          contentBase64: toBase64(file.content),
        });
      } else if (file.path.endsWith(".ipynb") && !file.path.includes("/")) {
        notebooks.push(file);
      }
      // Everything else in Otter's zip (otter_config.json, run_autograder,
      // requirements.txt, ...) is Otter's own machinery: ours replaces it.
      else if (!otterMachinery.has(file.path)) {
        problem(
          file.path,
          "an autograder zip holds tests/, files/ and Otter's configuration; this file is not one of them",
        );
      }
      continue;
    }
    if (file.path.endsWith(".ipynb") && !file.path.includes("/")) {
      notebooks.push(file);
      continue;
    }
    bundle.supportFiles.push({ path: file.path, contentBase64: toBase64(file.content) });
  }
  if (notebooks.length > 1) {
    problem(
      "(upload)",
      `the upload has ${notebooks.length} notebooks (${notebooks.map((n) => n.path).join(", ")}); an assignment has one`,
    );
  } else if (notebooks.length === 1) {
    const file = notebooks[0]!;
    const text = decodeUtf8(file.content);
    if (text === undefined || !isNotebook(text)) {
      problem(
        file.path,
        "the notebook is not a Jupyter notebook (expected JSON with a list of cells)",
      );
    } else {
      bundle.notebook = { name: file.path, content: text };
    }
  }
  if (bundle.tests.length === 0 && !bundle.problems.some((p) => p.file.startsWith("tests/"))) {
    problem(
      "tests/",
      "the upload has no tests: put one OK-format file per question in tests/ (tests/q1.py, ...)",
    );
  }
  bundle.tests.sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
  return bundle;
}

/** Loose files of an assignment folder: the notebook, tests/*.py and support files. */
export function readAssignmentBundle(files: BundleFile[]): AssignmentBundle {
  return sortFiles(files, "bundle");
}

/** Otter's autograder.zip: tests/*.py and files/ (support files placed next to the notebook). */
export function readAutograderZip(bytes: Uint8Array): AssignmentBundle {
  const refuse = (problem: string): AssignmentBundle => ({
    tests: [],
    supportFiles: [],
    problems: [{ file: "autograder.zip", problem }],
  });
  if (bytes.length > bundleLimits.maxTotalBytes) return refuse("the zip is larger than 20 MB");
  let count = 0;
  let declared = 0;
  let tooBig = false;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      // Decide from the zip's directory before inflating anything, so a zip
      // bomb is refused without being expanded.
      filter: (file) => {
        count += 1;
        declared += file.originalSize;
        if (count > bundleLimits.maxFiles || declared > bundleLimits.maxTotalBytes) tooBig = true;
        return !tooBig;
      },
    });
  } catch {
    return refuse("the file is not a readable zip archive");
  }
  if (tooBig) {
    return refuse(
      `the zip holds more than ${bundleLimits.maxFiles} files or more than 20 MB once unpacked`,
    );
  }
  return sortFiles(
    Object.entries(entries).map(([path, content]) => ({ path, content })),
    "zip",
  );
}
