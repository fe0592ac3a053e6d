import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The autograder's Python, as files on disk (runtimes copy or mount them):
 * the grading driver a sandbox runs on a submission, and the student module
 * user servers import (`check`, `submit`, and the server extension).
 */
export const gradingDriverPath = fileURLToPath(
  new URL("../python/hubfed_grade.py", import.meta.url),
);
export const studentModulePath = fileURLToPath(
  new URL("../python/hubfed_autograder.py", import.meta.url),
);

let gradingDriver: string | undefined;
let studentModule: string | undefined;

/** The driver's source (read once). */
export function gradingDriverSource(): string {
  gradingDriver ??= readFileSync(gradingDriverPath, "utf8");
  return gradingDriver;
}

/** The student module's source (read once). */
export function studentModuleSource(): string {
  studentModule ??= readFileSync(studentModulePath, "utf8");
  return studentModule;
}
