import { type GradescopeResults } from "@hubfed/grader";
import { z } from "zod";

/** The one line the driver prints with `--results=stdout-nonce`. */
export const RESULTS_LINE_PREFIX = "HUBFED-RESULTS";

const gradescopeResultsSchema = z.object({
  tests: z.array(
    z.object({
      name: z.string(),
      score: z.number(),
      max_score: z.number(),
      visibility: z.enum(["hidden", "after_published", "visible"]),
      output: z.string(),
    }),
  ),
  score: z.number(),
  execution_time: z.number().optional(),
});

/**
 * What the driver (packages/grader/python/hubfed_grade.py) reports: graded
 * with Gradescope results, or failed / timed-out with a reason written for
 * students and an error code and detail for operators.
 */
const driverOutcomeSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("graded"), results: gradescopeResultsSchema }),
  z.object({
    status: z.enum(["failed", "timed-out"]),
    error: z.string().optional(),
    reason: z.string().optional(),
    detail: z.string().optional(),
  }),
]);

export type DriverOutcome =
  | { status: "graded"; results: GradescopeResults }
  | { status: "failed" | "timed-out"; error?: string; reason?: string; detail?: string };

export type ResultsLineReading =
  | { kind: "found"; outcome: DriverOutcome }
  | { kind: "missing" }
  | { kind: "ambiguous"; count: number }
  | { kind: "malformed"; problem: string };

/**
 * Finds the driver's answer in a pod log. Only a line that starts with the
 * prefix and this submission's nonce counts: anything else in the log
 * (forged results included) lacks the nonce, which the driver removes from
 * its environment before the kernel starts, sends the kernel's output to
 * /dev/null, and keeps out of /proc by being non-dumpable. Two lines with
 * the nonce mean someone learnt it: neither is trusted.
 */
export function readResultsLine(log: string, nonce: string): ResultsLineReading {
  const marker = `${RESULTS_LINE_PREFIX} ${nonce} `;
  const lines = log.split(/\r?\n/).filter((line) => line.startsWith(marker));
  if (lines.length === 0) return { kind: "missing" };
  if (lines.length > 1) return { kind: "ambiguous", count: lines.length };
  const text = (lines[0] ?? "").slice(marker.length);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "malformed", problem: "the results are not JSON" };
  }
  const parsed = driverOutcomeSchema.safeParse(json);
  if (!parsed.success) return { kind: "malformed", problem: z.prettifyError(parsed.error) };
  return { kind: "found", outcome: parsed.data };
}
