import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { hubSpecSchema } from "@hubfed/hub-spec";
import { validateHubValues } from "@hubfed/kube";
import { formatFieldPath, readRegionConfigs, type RegionFileProblem } from "../regions";
import { regionHubsDirectory } from "./render";

// `hubfed validate`: a federation's configuration checked before it is applied, as 2i2c's
// `deployer validate` checks theirs. The tree is the one the GitOps export writes and the
// region sync reads: regions/<region>/region.yaml and regions/<region>/hubs/<course>.yaml.
// Every problem names its file and field; nothing stops at the first.

const hubEntrySchema = z.object({
  slug: z.string().min(1),
  cluster: z.string().min(1),
  runtime: z.enum(["KUBERNETES", "LOCAL"]),
  spec: z.unknown(),
  kubernetes: z.object({ objects: z.array(z.unknown()) }).optional(),
});
const courseHubsFileSchema = z.object({
  apiVersion: z.literal("hubfed.io/v1"),
  kind: z.literal("CourseHubs"),
  region: z.string(),
  hubs: z.array(z.unknown()),
});
const helmReleaseSchema = z.object({
  kind: z.literal("HelmRelease"),
  spec: z.object({ values: z.unknown() }),
});

export interface FederationValidation {
  regionCount: number;
  hubCount: number;
  problems: RegionFileProblem[];
}

/** Validates the region files, then every hub file beside them. */
export async function validateFederationDirectory(
  regionsDirectory: string,
  { valuesSchemaPath }: { valuesSchemaPath?: string } = {},
): Promise<FederationValidation> {
  const absoluteDirectory = path.resolve(regionsDirectory);
  const { configs, problems } = await readRegionConfigs(absoluteDirectory);
  let hubCount = 0;
  for (const config of configs) {
    const hubsDirectory = path.join(
      path.dirname(absoluteDirectory),
      regionHubsDirectory(config.slug),
    );
    const clusters = new Map(config.clusters.map((cluster) => [cluster.slug, cluster.runtime]));
    const names = await readdir(hubsDirectory).catch(() => []);
    for (const name of names.filter((entry) => entry.endsWith(".yaml")).sort()) {
      const absoluteFile = path.join(hubsDirectory, name);
      const file = path
        .relative(path.dirname(absoluteDirectory), absoluteFile)
        .split(path.sep)
        .join("/");
      const checked = await validateHubFile(absoluteFile, file, {
        regionSlug: config.slug,
        clusters,
        valuesSchemaPath,
      });
      hubCount += checked.hubCount;
      problems.push(...checked.problems);
    }
  }
  return { regionCount: configs.length, hubCount, problems };
}

async function validateHubFile(
  absoluteFile: string,
  file: string,
  region: {
    regionSlug: string;
    clusters: Map<string, "kubernetes" | "local">;
    valuesSchemaPath?: string;
  },
): Promise<{ hubCount: number; problems: RegionFileProblem[] }> {
  const problems: RegionFileProblem[] = [];
  const problem = (segments: PropertyKey[], text: string) =>
    problems.push({ file, fieldPath: formatFieldPath(segments), problem: text });
  const document = parseDocument(await readFile(absoluteFile, "utf8"));
  if (document.errors.length > 0) {
    problem([], `YAML syntax error: ${document.errors[0]?.message.split("\n")[0] ?? ""}`);
    return { hubCount: 0, problems };
  }
  const parsedFile = courseHubsFileSchema.safeParse(document.toJS());
  if (!parsedFile.success) {
    for (const issue of parsedFile.error.issues) problem(issue.path, issue.message);
    return { hubCount: 0, problems };
  }
  if (parsedFile.data.region !== region.regionSlug)
    problem(["region"], `must be "${region.regionSlug}", the region folder it is in`);

  parsedFile.data.hubs.forEach((entry, index) => {
    const at = ["hubs", index];
    const hub = hubEntrySchema.safeParse(entry);
    if (!hub.success) {
      for (const issue of hub.error.issues) problem([...at, ...issue.path], issue.message);
      return;
    }
    const runtime = region.clusters.get(hub.data.cluster);
    if (runtime === undefined)
      problem([...at, "cluster"], `is not a cluster of region ${region.regionSlug}`);
    else if (runtime.toUpperCase() !== hub.data.runtime)
      problem([...at, "runtime"], `must be ${runtime.toUpperCase()}, the cluster's runtime`);

    const spec = hubSpecSchema.safeParse(hub.data.spec);
    if (!spec.success)
      for (const issue of spec.error.issues) problem([...at, "spec", ...issue.path], issue.message);

    // The generated Zero to JupyterHub values, against the chart's own schema (vendored).
    (hub.data.kubernetes?.objects ?? []).forEach((object, objectIndex) => {
      const release = helmReleaseSchema.safeParse(object);
      if (!release.success) return;
      const values = validateHubValues(release.data.spec.values, {
        schemaPath: region.valuesSchemaPath,
      });
      for (const valuesProblem of values.problems)
        problem(
          [...at, "kubernetes", "objects", objectIndex, "spec", "values"],
          `${valuesProblem.path} ${valuesProblem.message}`,
        );
    });
  });
  return { hubCount: parsedFile.data.hubs.length, problems };
}

/** `regions/us-west/hubs/data-101.yaml: hubs[0].spec.memoryLimitMib: …`, one line per problem. */
export function formatFederationProblems(problems: readonly RegionFileProblem[]): string {
  return problems
    .map(({ file, fieldPath, problem }) =>
      fieldPath ? `${file}: ${fieldPath}: ${problem}` : `${file}: ${problem}`,
    )
    .join("\n");
}
