import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateRegionJsonSchema } from "./json-schema";
import {
  hashRegionConfig,
  parseMoneyToMicros,
  regionConfigSchema,
  type RegionConfigInput,
} from "./schema";

const regionsDirectory = new URL("../../../../regions/", import.meta.url);

async function readShippedRegion(slug: string): Promise<RegionConfigInput> {
  return parse(
    await readFile(new URL(`${slug}/region.yaml`, regionsDirectory), "utf8"),
  ) as RegionConfigInput;
}

function issuesOf(input: unknown): { path: string; message: string }[] {
  const result = regionConfigSchema.safeParse(input);
  return (result.error?.issues ?? []).map((issue) => ({
    path: issue.path.join("."),
    message: issue.message,
  }));
}

describe("parseMoneyToMicros", () => {
  it.each([
    ["0.262", 262_000],
    ["0.252", 252_000],
    [0.262, 262_000],
    ["0.1", 100_000],
    ["1", 1_000_000],
    ["0.000001", 1],
    ["2147.483647", 2_147_483_647],
    ["0", 0],
  ])("converts %j exactly to %i micros", (amount, micros) => {
    expect(parseMoneyToMicros(amount)).toEqual({ micros });
  });

  it.each([
    ["0.1234567", /at most 6 decimal places/],
    ["-0.5", /must not be negative/],
    [-1, /must not be negative/],
    ["1e3", /decimal amount/],
    ["", /decimal amount/],
    ["0.1.2", /decimal amount/],
    [1e-7, /decimal amount/],
  ])("rejects %j", (amount, problem) => {
    const result = parseMoneyToMicros(amount);
    expect("problem" in result && result.problem).toMatch(problem);
  });
});

describe("regionConfigSchema", () => {
  it("normalises money to micros and memory to MiB", async () => {
    const config = regionConfigSchema.parse(await readShippedRegion("us-west"));
    const gkeUserPool = config.clusters[1]?.nodePools[1];
    expect(gkeUserPool).toMatchObject({
      machineType: "n2-highmem-4",
      vcpu: 4,
      memoryMib: 32 * 1024,
      hourlyPriceMicros: 262_000,
    });
    expect(gkeUserPool).not.toHaveProperty("hourlyPrice");
    expect(config.prices).toEqual({
      storagePerGibMonthMicros: 100_000,
      clusterFixedPerHourMicros: 221_000,
    });
  });

  it("checks references, uniqueness and limits with exact paths", async () => {
    const region = await readShippedRegion("us-west");
    const [eks, gke] = region.clusters;
    if (!eks || !gke) throw new Error("the shipped us-west region has two clusters");
    const broken = {
      ...region,
      clusters: [eks, { ...gke, slug: eks.slug, cloud: "azure" }],
      hubDefaults: {
        ...region.hubDefaults,
        cpuGuarantee: 4,
        image: "quay.io/jupyter/base-notebook:latest",
      },
    };
    expect(issuesOf(broken)).toEqual(
      expect.arrayContaining([
        { path: "clusters.1.slug", message: '"aws-eks-1" is already used at index 0' },
        {
          path: "clusters.1.cloud",
          message: "must be the slug of a cloud of this region (aws, gcp)",
        },
        { path: "hubDefaults.cpuGuarantee", message: "must be ≤ cpuLimit (2)" },
        { path: "hubDefaults.image", message: "must be the image of one of hubDefaults.images" },
      ]),
    );
  });

  it("requires the settings of the cluster's runtime and rejects the other runtime's", async () => {
    const region = await readShippedRegion("local");
    const [vm] = region.clusters;
    if (!vm) throw new Error("the shipped local region has a cluster");
    const asKubernetes = { ...region, clusters: [{ ...vm, runtime: "kubernetes" }] };
    expect(issuesOf(asKubernetes).map((issue) => issue.path)).toEqual(
      expect.arrayContaining(["clusters.0.kubernetes", "clusters.0"]),
    );
  });

  it("takes a local cluster's bind address and public URL, and names what is wrong with either", async () => {
    const region = await readShippedRegion("local");
    const [vm] = region.clusters;
    if (!vm || vm.runtime !== "local") throw new Error("the shipped local region has a VM");
    const withLocal = (local: Record<string, unknown>) => ({
      ...region,
      clusters: [{ ...vm, local: { ...vm.local, ...local } }],
    });
    expect(
      issuesOf(withLocal({ bindAddress: "0.0.0.0", publicUrl: "https://hubs.college.edu:{port}" })),
    ).toEqual([]);
    expect(issuesOf(withLocal({ bindAddress: "hubs.college.edu" }))).toEqual([
      { path: "clusters.0.local.bindAddress", message: "must be an IP address, such as 0.0.0.0" },
    ]);
    expect(issuesOf(withLocal({ publicUrl: "https://hubs.college.edu" }))).toEqual([
      { path: "clusters.0.local.publicUrl", message: "must contain {port}, the hub's public port" },
    ]);
    for (const publicUrl of [
      "https://hubs.college.edu:{port}/hub",
      "javascript:{port}",
      "https://user:pw@hubs.college.edu:{port}",
    ])
      expect(issuesOf(withLocal({ publicUrl })).map((issue) => issue.path)).toEqual([
        "clusters.0.local.publicUrl",
      ]);
  });

  it("hashes equal configs equally whatever the spelling of their amounts", async () => {
    const region = await readShippedRegion("local");
    const respelled = {
      ...region,
      prices: { storagePerGibMonth: 0.05, clusterFixedPerHour: "0.000000" },
    };
    const changed = { ...region, prices: { storagePerGibMonth: "0.06", clusterFixedPerHour: "0" } };
    const hashOf = (input: unknown) => hashRegionConfig(regionConfigSchema.parse(input));
    expect(hashOf(respelled)).toBe(hashOf(region));
    expect(hashOf(changed)).not.toBe(hashOf(region));
  });
});

describe("regions/region.schema.json", () => {
  it("is the schema generated from regionConfigSchema (run `npm run regions:schema`)", async () => {
    const committed: unknown = JSON.parse(
      await readFile(new URL("region.schema.json", regionsDirectory), "utf8"),
    );
    expect(committed).toEqual(generateRegionJsonSchema());
  });
});
