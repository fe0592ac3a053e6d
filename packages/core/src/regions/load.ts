import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { type z } from "zod";
import { AppError } from "../errors";
import { type RegionConfig, regionConfigSchema } from "./schema";

export const REGION_FILE_NAME = "region.yaml";

export interface RegionFileProblem {
  /** The file relative to the regions directory's parent, e.g. `regions/us-west/region.yaml`. */
  file: string;
  /** `clusters[1].nodePools[0].maxNodes`, or "" for the whole file. */
  fieldPath: string;
  problem: string;
}

/** `["clusters", 1, "nodePools", 0]` → `clusters[1].nodePools[0]`. */
export function formatFieldPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((text, segment) => {
    if (typeof segment === "number") return `${text}[${segment}]`;
    return text === "" ? String(segment) : `${text}.${String(segment)}`;
  }, "");
}

const typeNames: Record<string, string> = {
  int: "an integer",
  array: "a list",
  object: "a mapping",
};

// Zod's defaults ("Invalid input: expected string, received undefined") read
// badly in a config file; say what the editor of the file needs to do.
const explainIssue: z.core.$ZodErrorMap = (issue) => {
  if (
    (issue.code === "invalid_type" || issue.code === "invalid_union") &&
    issue.input === undefined
  )
    return "is required";
  if (issue.code === "invalid_type")
    return `must be ${typeNames[issue.expected] ?? `a ${issue.expected}`}`;
  if (issue.code === "too_small" || issue.code === "too_big") {
    const isMinimum = issue.code === "too_small";
    const limit = isMinimum ? issue.minimum : issue.maximum;
    if (issue.origin === "array")
      return `must have ${isMinimum ? "at least" : "at most"} ${limit} item(s)`;
    if (issue.origin === "string")
      return isMinimum && limit === 1
        ? "must not be empty"
        : `must have ${isMinimum ? "at least" : "at most"} ${limit} characters`;
    return `must be ${isMinimum ? (issue.inclusive ? "≥" : ">") : issue.inclusive ? "≤" : "<"} ${limit}`;
  }
  return undefined;
};

function describeSchemaIssues(
  file: string,
  issues: readonly z.core.$ZodIssue[],
): RegionFileProblem[] {
  return issues.flatMap((issue) =>
    // One line per unknown key, at the key itself, so the path points at the typo.
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({
          file,
          fieldPath: formatFieldPath([...issue.path, key]),
          problem: "is not a known field",
        }))
      : [{ file, fieldPath: formatFieldPath(issue.path), problem: issue.message }],
  );
}

interface RegionFileResult {
  file: string;
  config?: RegionConfig;
  problems: RegionFileProblem[];
}

async function readRegionFile(
  regionsDirectory: string,
  regionDirectoryName: string,
): Promise<RegionFileResult> {
  const absoluteFile = path.join(regionsDirectory, regionDirectoryName, REGION_FILE_NAME);
  const file = path
    .relative(path.dirname(regionsDirectory), absoluteFile)
    .split(path.sep)
    .join("/");
  let text: string;
  try {
    text = await readFile(absoluteFile, "utf8");
  } catch {
    return {
      file,
      problems: [
        { file, fieldPath: "", problem: `every region folder needs a ${REGION_FILE_NAME}` },
      ],
    };
  }

  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      file,
      problems: document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return {
          file,
          fieldPath: "",
          problem: `YAML syntax error at line ${line}, column ${col}: ${error.message.split("\n")[0]}`,
        };
      }),
    };
  }

  const data: unknown = document.toJS();
  const slug: unknown =
    typeof data === "object" && data !== null && "slug" in data ? data.slug : undefined;
  // Checked apart from the schema so a misnamed folder shows up with the other problems.
  const slugProblems =
    typeof slug === "string" && slug !== regionDirectoryName
      ? [
          {
            file,
            fieldPath: "slug",
            problem: `must equal the folder name "${regionDirectoryName}"`,
          },
        ]
      : [];
  const parsed = regionConfigSchema.safeParse(data, { error: explainIssue });
  if (!parsed.success || slugProblems.length > 0) {
    return {
      file,
      problems: [
        ...slugProblems,
        ...(parsed.error ? describeSchemaIssues(file, parsed.error.issues) : []),
      ],
    };
  }
  return { file, config: parsed.data, problems: [] };
}

// Credits attach to a billing account (SPEC §2), so one account must belong to
// exactly one region; the database enforces it too, this names the files.
function findSharedBillingAccounts(results: RegionFileResult[]): RegionFileProblem[] {
  const firstFileOf = new Map<string, string>();
  const problems: RegionFileProblem[] = [];
  for (const { file, config } of results) {
    config?.clouds.forEach((cloud, index) => {
      const account = `${cloud.provider} ${cloud.billingAccountId}`;
      const firstFile = firstFileOf.get(account);
      if (firstFile === undefined) firstFileOf.set(account, file);
      else
        problems.push({
          file,
          fieldPath: `clouds[${index}].billingAccountId`,
          problem: `${account} is already a cloud of ${firstFile}`,
        });
    });
  }
  return problems;
}

/**
 * Reads and validates every `<regionsDirectory>/<region>/region.yaml` and reports every problem
 * of every file, without throwing for them: the valid regions (sorted by slug) and the problems.
 */
export async function readRegionConfigs(
  regionsDirectory: string,
): Promise<{ configs: RegionConfig[]; problems: RegionFileProblem[] }> {
  const absoluteDirectory = path.resolve(regionsDirectory);
  let entries;
  try {
    entries = await readdir(absoluteDirectory, { withFileTypes: true });
  } catch (error) {
    throw new AppError(
      "BAD_REQUEST",
      `cannot read the regions directory ${absoluteDirectory}`,
      {},
      { cause: error },
    );
  }
  const regionDirectoryNames = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .map((entry) => entry.name)
    .sort();

  const results = await Promise.all(
    regionDirectoryNames.map((name) => readRegionFile(absoluteDirectory, name)),
  );
  return {
    configs: results.flatMap(({ config }) => (config ? [config] : [])),
    problems: [
      ...results.flatMap((result) => result.problems),
      ...findSharedBillingAccounts(results),
    ],
  };
}

/**
 * Reads and validates every `<regionsDirectory>/<region>/region.yaml`. Either
 * all regions are valid and returned (sorted by slug), or one BAD_REQUEST
 * AppError lists every problem of every file, one per line:
 * `regions/us-west/region.yaml: clusters[1].nodePools[0].maxNodes: must be ≥ minNodes (3)`.
 */
export async function loadRegionConfigs(regionsDirectory: string): Promise<RegionConfig[]> {
  const { configs, problems } = await readRegionConfigs(regionsDirectory);
  if (problems.length > 0) throw createRegionConfigError(problems);
  return configs;
}

function createRegionConfigError(problems: RegionFileProblem[]): AppError {
  const lines = problems.map(({ file, fieldPath, problem }) =>
    fieldPath ? `${file}: ${fieldPath}: ${problem}` : `${file}: ${problem}`,
  );
  const fieldErrors: Record<string, string[]> = {};
  for (const { file, fieldPath, problem } of problems)
    (fieldErrors[fieldPath ? `${file}#${fieldPath}` : file] ??= []).push(problem);
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return new AppError(
    "BAD_REQUEST",
    `Invalid region configuration (${count}):\n${lines.join("\n")}`,
    fieldErrors,
  );
}
