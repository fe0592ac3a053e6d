import { readFile } from "node:fs/promises";
import { z } from "zod";
import { localHubPaths } from "./hub";

/**
 * What the hub found it can enforce per student, as it wrote `limits.json` at its start
 * (hubfed_spawner.prepare_local_limits): cgroup v2, cgroup v1 or per-process rlimits for memory,
 * CPU and processes; a file system per home ("loop") or a check at spawn for storage.
 */
const localHubLimitsSchema = z.object({
  limits: z.object({ kind: z.enum(["cgroup2", "cgroup1", "rlimit"]), detail: z.string() }),
  storage: z.object({ kind: z.enum(["loop", "check"]), detail: z.string() }),
  detectedAt: z.string(),
});

export type LocalHubLimits = z.infer<typeof localHubLimitsSchema>;

/** The mechanisms in force on a hub that has started; undefined before its first start. */
export async function readLocalHubLimits(
  dataDirectory: string,
): Promise<LocalHubLimits | undefined> {
  try {
    const raw = await readFile(localHubPaths(dataDirectory).limits, "utf8");
    const parsed = localHubLimitsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** One line for operators: "limits per student: cgroup v1 …; storage: …". */
export function describeLocalHubLimits(limits: LocalHubLimits | undefined): string {
  if (!limits) return "limits per student: not known until the hub has started";
  return `limits per student: ${limits.limits.detail}; storage: ${limits.storage.detail}`;
}
