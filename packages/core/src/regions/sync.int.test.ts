import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { useTestDatabase } from "@hubfed/db/testing";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AppError } from "../errors";
import { loadRegionConfigs } from "./load";
import { type RegionConfigInput, regionConfigSchema } from "./schema";
import { syncRegions } from "./sync";

const shippedRegionsDirectory = fileURLToPath(new URL("../../../../regions", import.meta.url));
const database = useTestDatabase();

/** The shipped us-west region under another slug and billing accounts, so tests do not collide. */
async function readUsWestVariant(slug: string, accountDigit: number): Promise<RegionConfigInput> {
  const input = parse(
    await readFile(`${shippedRegionsDirectory}/us-west/region.yaml`, "utf8"),
  ) as RegionConfigInput;
  return {
    ...input,
    slug,
    clouds: [
      {
        slug: "aws",
        provider: "aws",
        billingAccountId: String(accountDigit).repeat(12),
        displayName: "AWS",
      },
      {
        slug: "gcp",
        provider: "gcp",
        billingAccountId: `0${accountDigit}ABCD-234567-89EF01`,
        displayName: "GCP",
      },
    ],
  };
}

function editNodePool(
  input: RegionConfigInput,
  clusterSlug: string,
  edit: (
    pools: RegionConfigInput["clusters"][number]["nodePools"],
  ) => RegionConfigInput["clusters"][number]["nodePools"],
): RegionConfigInput {
  return {
    ...input,
    clusters: input.clusters.map((cluster) =>
      cluster.slug === clusterSlug ? { ...cluster, nodePools: edit(cluster.nodePools) } : cluster,
    ),
  };
}

async function snapshotRegion(slug: string) {
  return database().db.region.findUniqueOrThrow({
    where: { slug },
    include: {
      clouds: { orderBy: { slug: "asc" } },
      clusters: { orderBy: { slug: "asc" }, include: { nodePools: { orderBy: { name: "asc" } } } },
    },
  });
}

const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

describe("syncRegions", () => {
  it("creates the shipped regions with their clouds, clusters and node pools", async () => {
    const configs = await loadRegionConfigs(shippedRegionsDirectory);
    const report = await syncRegions(database().db, configs);
    expect(report).toEqual({
      created: ["local", "us-west"],
      updated: [],
      unchanged: [],
      unschedulableClusters: [],
    });

    const usWest = await snapshotRegion("us-west");
    expect(usWest).toMatchObject({
      baseDomain: "us-west.hubfed.example.org",
      currency: "USD",
      prices: { storagePerGibMonthMicros: 100_000 },
    });
    expect(
      usWest.clouds.map((cloud) => [cloud.slug, cloud.provider, cloud.billingAccountId]),
    ).toEqual([
      ["aws", "AWS", "123456789012"],
      ["gcp", "GCP", "01ABCD-234567-89EF01"],
    ]);
    const gke = usWest.clusters[1];
    expect(gke).toMatchObject({
      slug: "gcp-gke-1",
      runtime: "KUBERNETES",
      cloudId: usWest.clouds[1]?.id,
      ingressClass: "nginx",
      storageClass: "standard-rwo",
      isSchedulable: true,
    });
    expect(gke?.nodePools[1]).toMatchObject({
      name: "user",
      machineType: "n2-highmem-4",
      vcpu: 4,
      memoryMib: 32768,
      hourlyPriceMicros: 262_000,
      minNodes: 0,
      maxNodes: 20,
    });

    const local = await snapshotRegion("local");
    expect(local.clusters[0]).toMatchObject({
      slug: "local-vm",
      runtime: "LOCAL",
      portRangeStart: 18000,
      portRangeEnd: 18999,
      // The demo's VM serves this machine only, at the proxy's own address.
      localBindAddress: null,
      localPublicUrl: null,
      apiServerUrl: null,
    });
  });

  it("writes nothing when the files are unchanged", async () => {
    const configs = await loadRegionConfigs(shippedRegionsDirectory);
    await syncRegions(database().db, configs);
    const before = await Promise.all([snapshotRegion("local"), snapshotRegion("us-west")]);

    const report = await syncRegions(database().db, configs, { now: later(5) });

    expect(report).toEqual({
      created: [],
      updated: [],
      unchanged: ["local", "us-west"],
      unschedulableClusters: [],
    });
    // updatedAt is set by every UPDATE Prisma issues, syncedAt by every region write.
    expect(await Promise.all([snapshotRegion("local"), snapshotRegion("us-west")])).toEqual(before);
  });

  it("updates only the node pool whose price changed", async () => {
    const input = await readUsWestVariant("price-change", 2);
    await syncRegions(database().db, [regionConfigSchema.parse(input)]);
    const before = await snapshotRegion("price-change");

    const repriced = editNodePool(input, "gcp-gke-1", (pools) =>
      pools.map((pool) => (pool.name === "user" ? { ...pool, hourlyPrice: "0.270" } : pool)),
    );
    const now = later(10);
    const report = await syncRegions(database().db, [regionConfigSchema.parse(repriced)], { now });

    expect(report.updated).toEqual(["price-change"]);
    const after = await snapshotRegion("price-change");
    expect(after.syncedAt).toEqual(now);
    expect(after.configHash).not.toBe(before.configHash);
    expect(after.clouds).toEqual(before.clouds);
    expect(after.clusters.map(({ nodePools: _nodePools, ...cluster }) => cluster)).toEqual(
      before.clusters.map(({ nodePools: _nodePools, ...cluster }) => cluster),
    );
    const poolsOf = (region: typeof before) =>
      region.clusters.flatMap((cluster) => cluster.nodePools);
    const changedPools = poolsOf(after).filter(
      (pool, index) => JSON.stringify(pool) !== JSON.stringify(poolsOf(before)[index]),
    );
    expect(changedPools).toEqual([
      expect.objectContaining({
        name: "user",
        machineType: "n2-highmem-4",
        hourlyPriceMicros: 270_000,
      }),
    ]);
  });

  it("syncs each cluster's lead time, 15 minutes unless the file says otherwise", async () => {
    const input = await readUsWestVariant("lead-time", 7);
    await syncRegions(database().db, [regionConfigSchema.parse(input)]);
    const leadTimes = async () =>
      (await snapshotRegion("lead-time")).clusters.map((c) => [c.slug, c.leadTimeMinutes]);
    expect(await leadTimes()).toEqual([
      ["aws-eks-1", 15],
      ["gcp-gke-1", 15],
    ]);
    const slower = {
      ...input,
      clusters: input.clusters.map((cluster) =>
        cluster.slug === "gcp-gke-1" ? { ...cluster, leadTimeMinutes: 25 } : cluster,
      ),
    };
    await syncRegions(database().db, [regionConfigSchema.parse(slower)]);
    expect(await leadTimes()).toEqual([
      ["aws-eks-1", 15],
      ["gcp-gke-1", 25],
    ]);
  });

  it("deletes a node pool removed from the file", async () => {
    const input = await readUsWestVariant("pool-removal", 3);
    await syncRegions(database().db, [regionConfigSchema.parse(input)]);

    const withoutCorePool = editNodePool(input, "aws-eks-1", (pools) =>
      pools.filter((pool) => pool.name !== "core"),
    );
    await syncRegions(database().db, [regionConfigSchema.parse(withoutCorePool)]);

    const region = await snapshotRegion("pool-removal");
    expect(
      region.clusters.map((cluster) => [cluster.slug, cluster.nodePools.map((pool) => pool.name)]),
    ).toEqual([
      ["aws-eks-1", ["user"]],
      ["gcp-gke-1", ["core", "user"]],
    ]);
  });

  it("deletes a removed cluster without hubs and keeps one with hubs, unschedulable", async () => {
    const db = database().db;
    const input = await readUsWestVariant("cluster-removal", 4);
    await syncRegions(db, [regionConfigSchema.parse(input)]);
    const gke = (await snapshotRegion("cluster-removal")).clusters[1];
    if (!gke) throw new Error("gcp-gke-1 was synced");
    const institution = await db.institution.create({
      data: {
        slug: "cluster-removal-college",
        name: "College",
        emailDomains: ["college.example.edu"],
      },
    });
    const course = await db.course.create({
      data: {
        institutionId: institution.id,
        slug: "data-8",
        code: "DATA 8",
        title: "Foundations of Data Science",
        term: "2026-fall",
        startDate: new Date("2026-08-24"),
        endDate: new Date("2026-12-11"),
        timezone: "America/Los_Angeles",
        expectedEnrollment: 100,
        expectedConcurrentUsers: 40,
      },
    });
    await db.hub.create({
      data: { slug: "data-8-hub", courseId: course.id, clusterId: gke.id, spec: {} },
    });

    const [eks] = input.clusters;
    if (!eks) throw new Error("the shipped us-west region has clusters");
    const replaced = { ...input, clusters: [{ ...eks, slug: "aws-eks-2" }] };
    const report = await syncRegions(db, [regionConfigSchema.parse(replaced)]);

    expect(report.unschedulableClusters).toEqual(["cluster-removal/gcp-gke-1"]);
    const clustersOf = async () =>
      (await snapshotRegion("cluster-removal")).clusters.map((cluster) => [
        cluster.slug,
        cluster.isSchedulable,
      ]);
    expect(await clustersOf()).toEqual([
      ["aws-eks-2", true],
      ["gcp-gke-1", false],
    ]);

    await syncRegions(db, [regionConfigSchema.parse(input)]);
    expect(await clustersOf()).toEqual([
      ["aws-eks-1", true],
      ["gcp-gke-1", true],
    ]);
  });

  it("loads nothing when one region fails to write", async () => {
    const first = regionConfigSchema.parse(await readUsWestVariant("rollback-first", 5));
    // Same AWS account as the first region: the (provider, billingAccountId) unique index rejects it.
    const second = regionConfigSchema.parse({
      ...(await readUsWestVariant("rollback-second", 6)),
      clouds: (await readUsWestVariant("rollback-first", 5)).clouds,
    });

    const failure: unknown = await syncRegions(database().db, [first, second]).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/^region "rollback-second": /) as unknown,
    });
    expect(await database().db.region.count({ where: { slug: { startsWith: "rollback-" } } })).toBe(
      0,
    );
    expect(await database().db.cloud.count({ where: { billingAccountId: "555555555555" } })).toBe(
      0,
    );
  });
});
