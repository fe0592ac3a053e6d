/**
 * The Python side of the grader, shipped as files: the local sandbox runs the
 * driver, and the Kubernetes runtime mounts both files into pods (the driver
 * into grading pods, the student module into every user server).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of python/hubfed_grade.py, the grading driver. */
export const gradingDriverPath = fileURLToPath(
  new URL("../python/hubfed_grade.py", import.meta.url),
);

/** Absolute path of python/hubfed_autograder.py, imported in students' kernels (check(), submit()) and loaded as a server extension. */
export const studentModulePath = fileURLToPath(
  new URL("../python/hubfed_autograder.py", import.meta.url),
);

export function gradingDriverSource(): string {
  return readFileSync(gradingDriverPath, "utf8");
}

export function studentModuleSource(): string {
  return readFileSync(studentModulePath, "utf8");
}
