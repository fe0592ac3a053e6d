import type { DatabaseClient } from "@hubfed/db";
import { AppError } from "../errors";
import { regionSettingsOf } from "../regions/settings";
import type { EstimatePricing } from "./estimate";

export const clusterInclude = { cloud: true, nodePools: true, region: true } as const;

export type ClusterWithPools = NonNullable<Awaited<ReturnType<typeof findCluster>>>;

export function findCluster(db: DatabaseClient, where: { id: string }) {
  return db.cluster.findUnique({ where, include: clusterInclude });
}

/** The price of running this hub on `cluster`: its user node pool and its region's storage price. */
export function pricingOfCluster(cluster: ClusterWithPools): EstimatePricing {
  const userPool = cluster.nodePools
    .filter((pool) => pool.purpose === "user")
    .sort((a, b) => a.hourlyPriceMicros - b.hourlyPriceMicros)[0];
  if (!userPool)
    throw new AppError("PRECONDITION_FAILED", `Cluster ${cluster.slug} has no user node pool`, {
      clusterId: ["has no user node pool"],
    });
  const { prices } = regionSettingsOf(cluster.region);
  return {
    currency: cluster.region.currency,
    userNode: {
      machineType: userPool.machineType,
      vcpu: userPool.vcpu,
      memoryMib: userPool.memoryMib,
      hourlyPriceMicros: userPool.hourlyPriceMicros,
    },
    storagePerGibMonthMicros: prices.storagePerGibMonthMicros,
  };
}
