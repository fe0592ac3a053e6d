import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { loadRegionConfigs } from "./load";

const shippedRegionsDirectory = fileURLToPath(new URL("../../../../regions", import.meta.url));

async function loadError(regionsDirectory: string): Promise<AppError> {
  const error: unknown = await loadRegionConfigs(regionsDirectory).then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("loadRegionConfigs", () => {
  let regionsDirectory: string;

  beforeEach(async () => {
    regionsDirectory = path.join(await mkdtemp(path.join(tmpdir(), "hubfed-regions-")), "regions");
    await cp(shippedRegionsDirectory, regionsDirectory, { recursive: true });
  });
  afterEach(async () => {
    await rm(path.dirname(regionsDirectory), { recursive: true, force: true });
  });

  async function editRegionFile(slug: string, edit: (text: string) => string): Promise<void> {
    const file = path.join(regionsDirectory, slug, "region.yaml");
    const text = await readFile(file, "utf8");
    const edited = edit(text);
    if (edited === text) throw new Error("the edit changed nothing");
    await writeFile(file, edited);
  }

  it("loads both shipped regions", async () => {
    const configs = await loadRegionConfigs(shippedRegionsDirectory);
    expect(configs.map((config) => config.slug)).toEqual(["local", "us-west"]);
    const [local, usWest] = configs;
    expect(local?.clusters[0]).toMatchObject({
      slug: "local-vm",
      runtime: "local",
      local: { portRange: { start: 18000, end: 18999 } },
    });
    expect(usWest?.clusters.map((cluster) => [cluster.slug, cluster.cloud])).toEqual([
      ["aws-eks-1", "aws"],
      ["gcp-gke-1", "gcp"],
    ]);
    expect(
      usWest?.clusters.flatMap((cluster) =>
        cluster.nodePools.filter((pool) => pool.purpose === "user"),
      ),
    ).toEqual([
      expect.objectContaining({
        machineType: "r5.xlarge",
        vcpu: 4,
        memoryMib: 32768,
        hourlyPriceMicros: 252_000,
      }),
      expect.objectContaining({
        machineType: "n2-highmem-4",
        vcpu: 4,
        memoryMib: 32768,
        hourlyPriceMicros: 262_000,
      }),
    ]);
  });

  it("reports every problem with its file, field path and what is wrong, in one error", async () => {
    await editRegionFile("us-west", (text) =>
      // Each edit hits the first match only: the EKS user pool, the GKE user pool's price, the EKS connection.
      text
        .replace("minNodes: 0\n        maxNodes: 20", "minNodes: 3\n        maxNodes: 2")
        .replace('hourlyPrice: "0.262"', 'hourlyPrice: "-0.262"')
        .replace("ingressClass: nginx", "ingressClass: nginx\n      ingresClass: traefik"),
    );
    await editRegionFile("local", (text) => text.replace("slug: local", "slug: local-demo"));

    const error = await loadError(regionsDirectory);
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message.split("\n").slice(1)).toEqual([
      'regions/local/region.yaml: slug: must equal the folder name "local"',
      "regions/us-west/region.yaml: clusters[0].nodePools[1].maxNodes: must be ≥ minNodes (3)",
      "regions/us-west/region.yaml: clusters[0].kubernetes.ingresClass: is not a known field",
      "regions/us-west/region.yaml: clusters[1].nodePools[1].hourlyPrice: must not be negative",
    ]);
    expect(
      error.fieldErrors["regions/us-west/region.yaml#clusters[0].nodePools[1].maxNodes"],
    ).toEqual(["must be ≥ minNodes (3)"]);
  });

  it("reports a YAML syntax error with its line and column", async () => {
    await editRegionFile("local", (text) =>
      text.replace("currency: USD\n", "currency: USD\ncurrency: EUR\n"),
    );
    const text = await readFile(path.join(regionsDirectory, "local", "region.yaml"), "utf8");
    const duplicateLine = text.split("\n").indexOf("currency: EUR") + 1;
    const error = await loadError(regionsDirectory);
    expect(error.message.split("\n").slice(1)).toEqual([
      `regions/local/region.yaml: YAML syntax error at line ${duplicateLine}, column 1: Map keys must be unique`,
    ]);
  });

  it("reports a missing field, a wrong type and a region folder without region.yaml", async () => {
    await editRegionFile("local", (text) =>
      text.replace("currency: USD\n", "").replace("vcpu: 2\n", "vcpu: 2.5\n"),
    );
    await mkdir(path.join(regionsDirectory, "eu-north"));
    const error = await loadError(regionsDirectory);
    expect(error.message.split("\n").slice(1)).toEqual([
      "regions/eu-north/region.yaml: every region folder needs a region.yaml",
      "regions/local/region.yaml: currency: is required",
      "regions/local/region.yaml: clusters[0].nodePools[0].vcpu: must be an integer",
    ]);
  });

  it("rejects a billing account claimed by two regions", async () => {
    await editRegionFile("local", (text) =>
      text.replace(
        "provider: onprem\n    billingAccountId: local-vm-allocation",
        'provider: aws\n    billingAccountId: "123456789012"',
      ),
    );
    const error = await loadError(regionsDirectory);
    expect(error.message).toContain(
      "regions/us-west/region.yaml: clouds[0].billingAccountId: aws 123456789012 is already a cloud of regions/local/region.yaml",
    );
  });
});
