import {
  type Cloud,
  CloudProvider,
  ClusterRuntime,
  type DatabaseClient,
  type NodePool,
  Prisma,
} from "@hubfed/db";
import { AppError, isAppError } from "../errors";
import {
  type ClusterConfig,
  type CloudProviderName,
  hashRegionConfig,
  type RegionConfig,
} from "./schema";

type Transaction = Prisma.TransactionClient;

export interface RegionSyncReport {
  /** Region slugs, by what the sync did to them. */
  created: string[];
  updated: string[];
  unchanged: string[];
  /** `region/cluster` of clusters gone from their file but still running hubs: kept, no longer schedulable. */
  unschedulableClusters: string[];
}

export interface SyncRegionsOptions {
  /** Recorded as Region.syncedAt of the regions written. */
  now?: Date;
}

const providerOf: Record<CloudProviderName, CloudProvider> = {
  aws: CloudProvider.AWS,
  gcp: CloudProvider.GCP,
  azure: CloudProvider.AZURE,
  onprem: CloudProvider.ONPREM,
};

// Start-up syncs of the portal and the worker may race; the second waits and
// then finds the hashes already current.
const SYNC_LOCK_NAME = "hubfed.regions.sync";

/**
 * Mirrors validated region configs into the database in one transaction: all
 * regions land or none does. A region whose configHash is unchanged is not
 * written at all; otherwise only rows that differ from the file are written.
 * Regions absent from `configs` are left alone.
 */
export async function syncRegions(
  db: DatabaseClient,
  configs: readonly RegionConfig[],
  { now = new Date() }: SyncRegionsOptions = {},
): Promise<RegionSyncReport> {
  const report: RegionSyncReport = {
    created: [],
    updated: [],
    unchanged: [],
    unschedulableClusters: [],
  };
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${SYNC_LOCK_NAME}))`;
      for (const config of configs) {
        try {
          await syncRegion(tx, config, now, report);
        } catch (error) {
          throw describeSyncFailure(config.slug, error);
        }
      }
    },
    { timeout: 60_000 },
  );
  return report;
}

async function syncRegion(
  tx: Transaction,
  config: RegionConfig,
  now: Date,
  report: RegionSyncReport,
): Promise<void> {
  const configHash = hashRegionConfig(config);
  const existing = await tx.region.findUnique({
    where: { slug: config.slug },
    include: { clouds: true, clusters: { include: { nodePools: true } } },
  });
  if (existing?.configHash === configHash) {
    report.unchanged.push(config.slug);
    return;
  }

  const regionRow = {
    name: config.name,
    baseDomain: config.baseDomain,
    currency: config.currency,
    hubDefaults: config.hubDefaults,
    prices: config.prices,
    configHash,
    syncedAt: now,
  };
  const regionId = existing
    ? (
        await tx.region.update({
          where: { id: existing.id },
          data: regionRow,
          select: { id: true },
        })
      ).id
    : (await tx.region.create({ data: { slug: config.slug, ...regionRow }, select: { id: true } }))
        .id;
  (existing ? report.updated : report.created).push(config.slug);

  const cloudIdsBySlug = await syncClouds(tx, regionId, config, existing?.clouds ?? []);
  const existingClusters = existing?.clusters ?? [];
  for (const cluster of config.clusters) {
    const existingCluster = existingClusters.find((row) => row.slug === cluster.slug);
    const cloudId =
      cluster.cloud === undefined ? null : (cloudIdsBySlug.get(cluster.cloud) ?? null);
    const clusterRow = toClusterRow(cluster, cloudId);
    let clusterId: string;
    if (!existingCluster) {
      clusterId = (
        await tx.cluster.create({
          data: { regionId, slug: cluster.slug, ...clusterRow },
          select: { id: true },
        })
      ).id;
    } else {
      clusterId = existingCluster.id;
      if (hasChanges(existingCluster, clusterRow))
        await tx.cluster.update({ where: { id: clusterId }, data: clusterRow });
    }
    await syncNodePools(tx, clusterId, cluster, existingCluster?.nodePools ?? []);
  }

  const clusterSlugs = new Set(config.clusters.map((cluster) => cluster.slug));
  for (const removed of existingClusters.filter((row) => !clusterSlugs.has(row.slug))) {
    // Hubs reference their cluster with onDelete: Restrict; they keep running
    // where they are, but nothing new is placed there.
    if ((await tx.hub.count({ where: { clusterId: removed.id } })) === 0) {
      await tx.cluster.delete({ where: { id: removed.id } });
    } else {
      if (removed.isSchedulable)
        await tx.cluster.update({ where: { id: removed.id }, data: { isSchedulable: false } });
      report.unschedulableClusters.push(`${config.slug}/${removed.slug}`);
    }
  }
}

async function syncClouds(
  tx: Transaction,
  regionId: string,
  config: RegionConfig,
  existingClouds: readonly Cloud[],
): Promise<Map<string, string>> {
  const cloudSlugs = new Set(config.clouds.map((cloud) => cloud.slug));
  // Removed first, so a billing account can move to a renamed cloud.
  for (const removed of existingClouds.filter((row) => !cloudSlugs.has(row.slug))) {
    const creditPoolCount = await tx.creditPool.count({ where: { cloudId: removed.id } });
    if (creditPoolCount > 0) {
      throw new AppError(
        "PRECONDITION_FAILED",
        `cloud "${removed.slug}" was removed from the file but has ${creditPoolCount} credit pool(s); move or close them first`,
      );
    }
    await tx.cloud.delete({ where: { id: removed.id } });
  }

  const cloudIdsBySlug = new Map<string, string>();
  for (const cloud of config.clouds) {
    const cloudRow = {
      provider: providerOf[cloud.provider],
      billingAccountId: cloud.billingAccountId,
      displayName: cloud.displayName,
    };
    const existingCloud = existingClouds.find((row) => row.slug === cloud.slug);
    if (!existingCloud) {
      const created = await tx.cloud.create({
        data: { regionId, slug: cloud.slug, ...cloudRow },
        select: { id: true },
      });
      cloudIdsBySlug.set(cloud.slug, created.id);
    } else {
      if (hasChanges(existingCloud, cloudRow))
        await tx.cloud.update({ where: { id: existingCloud.id }, data: cloudRow });
      cloudIdsBySlug.set(cloud.slug, existingCloud.id);
    }
  }
  return cloudIdsBySlug;
}

async function syncNodePools(
  tx: Transaction,
  clusterId: string,
  cluster: ClusterConfig,
  existingPools: readonly NodePool[],
): Promise<void> {
  const poolNames = cluster.nodePools.map((pool) => pool.name);
  if (existingPools.some((row) => !poolNames.includes(row.name))) {
    await tx.nodePool.deleteMany({ where: { clusterId, name: { notIn: poolNames } } });
  }
  for (const { name, ...poolRow } of cluster.nodePools) {
    const existingPool = existingPools.find((row) => row.name === name);
    if (!existingPool) await tx.nodePool.create({ data: { clusterId, name, ...poolRow } });
    else if (hasChanges(existingPool, poolRow))
      await tx.nodePool.update({ where: { id: existingPool.id }, data: poolRow });
  }
}

function toClusterRow(cluster: ClusterConfig, cloudId: string | null) {
  const kubernetes = cluster.runtime === "kubernetes" ? cluster.kubernetes : undefined;
  const local = cluster.runtime === "local" ? cluster.local : undefined;
  return {
    displayName: cluster.displayName,
    runtime: kubernetes ? ClusterRuntime.KUBERNETES : ClusterRuntime.LOCAL,
    cloudId,
    apiServerUrl: kubernetes?.apiServerUrl ?? null,
    kubeconfigPath: kubernetes?.kubeconfigPath ?? null,
    inCluster: kubernetes?.inCluster ?? false,
    isSimulated: kubernetes?.simulated ?? false,
    leadTimeMinutes: cluster.leadTimeMinutes,
    ingressClass: kubernetes?.ingressClass ?? null,
    storageClass: kubernetes?.storageClass ?? null,
    portRangeStart: local?.portRange.start ?? null,
    portRangeEnd: local?.portRange.end ?? null,
    localBindAddress: local?.bindAddress ?? null,
    localPublicUrl: local?.publicUrl ?? null,
    // A cluster that returns to its file is schedulable again.
    isSchedulable: true,
  };
}

function hasChanges<Row extends object>(
  row: Row,
  desired: { [Key in keyof Row]?: Row[Key] },
): boolean {
  return (Object.keys(desired) as (keyof Row)[]).some((key) => row[key] !== desired[key]);
}

function describeSyncFailure(regionSlug: string, error: unknown): unknown {
  if (isAppError(error))
    return new AppError(error.code, `region "${regionSlug}": ${error.message}`, error.fieldErrors, {
      cause: error,
    });
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    return new AppError(
      "CONFLICT",
      `region "${regionSlug}": a unique constraint was violated (${error.message.trim().split("\n").at(-1) ?? ""})`,
      {},
      { cause: error },
    );
  }
  return error;
}
