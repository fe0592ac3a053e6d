import type { DatabaseClient } from "@hubfed/db";

/** Regions with their clusters and node pools, for the ops fleet view. */
export async function listRegions(db: DatabaseClient) {
  const regions = await db.region.findMany({
    orderBy: { slug: "asc" },
    include: {
      clusters: {
        orderBy: { slug: "asc" },
        include: { cloud: true, nodePools: { orderBy: { name: "asc" } } },
      },
    },
  });
  return regions.map((region) => ({
    slug: region.slug,
    name: region.name,
    baseDomain: region.baseDomain,
    currency: region.currency,
    syncedAt: region.syncedAt,
    clusters: region.clusters.map((cluster) => ({
      slug: cluster.slug,
      displayName: cluster.displayName,
      runtime: cluster.runtime,
      cloudProvider: cluster.cloud?.provider ?? null,
      nodePools: cluster.nodePools.map((pool) => ({
        name: pool.name,
        machineType: pool.machineType,
        vcpu: pool.vcpu,
        memoryMib: pool.memoryMib,
        hourlyPriceMicros: pool.hourlyPriceMicros,
        minNodes: pool.minNodes,
        maxNodes: pool.maxNodes,
      })),
    })),
  }));
}
