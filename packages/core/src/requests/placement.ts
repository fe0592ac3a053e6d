import type { DatabaseClient } from "@hubfed/db";
import { localUnavailableInterfaces } from "@hubfed/hub-spec";
import { AppError } from "../errors";
import { estimateHubCost, type CostEstimate, type EstimatePricing } from "../pricing/estimate";
import {
  clusterInclude,
  findCluster,
  pricingOfCluster,
  type ClusterWithPools,
} from "../pricing/region-pricing";
import { regionSettingsOf } from "../regions/settings";
import type { HubRequestForm } from "./form";

// Where a request is estimated and placed, and the options its form offers.

/**
 * The cluster a request would be estimated on before ops choose one: in the
 * preferred region (or the first), on the preferred cloud when given, the
 * cheapest user pool among schedulable clusters.
 */
export async function findEstimateCluster(
  db: DatabaseClient,
  placement: { preferredRegion?: string; preferredCloud?: string },
): Promise<ClusterWithPools> {
  const clusters = await db.cluster.findMany({
    where: {
      isSchedulable: true,
      ...(placement.preferredRegion ? { region: { slug: placement.preferredRegion } } : {}),
      ...(placement.preferredCloud
        ? {
            cloud: {
              provider: placement.preferredCloud.toUpperCase() as
                "AWS" | "GCP" | "AZURE" | "ONPREM",
            },
          }
        : {}),
    },
    include: clusterInclude,
    orderBy: [{ region: { slug: "asc" } }, { slug: "asc" }],
  });
  const priced = clusters
    .map((cluster) => ({
      cluster,
      price: Math.min(
        ...cluster.nodePools
          .filter((pool) => pool.purpose === "user")
          .map((pool) => pool.hourlyPriceMicros),
      ),
    }))
    .filter((entry) => Number.isFinite(entry.price))
    .sort((a, b) => a.price - b.price);
  const chosen = priced[0]?.cluster;
  if (!chosen) {
    throw new AppError("BAD_REQUEST", "No cluster matches the preferred region and cloud", {
      "placement.preferredRegion": ["no schedulable cluster in this region on this cloud"],
    });
  }
  return chosen;
}

export async function findClusterForApproval(
  db: DatabaseClient,
  clusterId: string,
): Promise<ClusterWithPools> {
  const cluster = await findCluster(db, { id: clusterId });
  if (!cluster || !cluster.isSchedulable)
    throw new AppError("BAD_REQUEST", "Unknown cluster", {
      clusterId: ["is not a schedulable cluster"],
    });
  return cluster;
}

export function estimateForm(form: HubRequestForm, pricing: EstimatePricing): CostEstimate {
  return estimateHubCost(
    {
      startDate: form.course.startDate,
      endDate: form.course.endDate,
      meetings: form.schedule.meetings,
      expectedEnrollment: form.audience.expectedEnrollment,
      expectedConcurrentUsers: form.audience.expectedConcurrentUsers,
      memoryGuaranteeMib: form.resources.memoryGuaranteeMib,
      cpuGuaranteeMilli: form.resources.cpuGuaranteeMilli,
      storageGib: form.resources.storageGib,
    },
    pricing,
  );
}

/** What the request form offers: regions, their clouds, curated images, default resources and prices per cloud. */
export async function describeRequestOptions(db: DatabaseClient) {
  const regions = await db.region.findMany({
    orderBy: { slug: "asc" },
    include: {
      clouds: { orderBy: { slug: "asc" } },
      clusters: { where: { isSchedulable: true }, include: clusterInclude },
    },
  });
  return regions.map((region) => {
    const { defaults } = regionSettingsOf(region);
    return {
      slug: region.slug,
      name: region.name,
      currency: region.currency,
      clouds: region.clouds.map(
        (cloud) => cloud.provider.toLowerCase() as "aws" | "gcp" | "azure" | "onprem",
      ),
      images: defaults.images,
      // A region whose clusters are all on the portal's VM cannot open every interface.
      unavailableInterfaces:
        region.clusters.length > 0 &&
        region.clusters.every((cluster) => cluster.runtime === "LOCAL")
          ? localUnavailableInterfaces
          : {},
      defaults: {
        interface: defaults.interface,
        memoryGuaranteeMib: defaults.memoryGuaranteeMib,
        memoryLimitMib: defaults.memoryLimitMib,
        cpuGuaranteeMilli: Math.round(defaults.cpuGuarantee * 1000),
        cpuLimitMilli: Math.round(defaults.cpuLimit * 1000),
        storageGib: defaults.storageGib,
      },
      pricingByCloud: Object.fromEntries(
        region.clusters
          .filter((cluster) => cluster.nodePools.some((pool) => pool.purpose === "user"))
          .map((cluster) => [
            cluster.cloud?.provider.toLowerCase() ?? "onprem",
            pricingOfCluster(cluster),
          ]),
      ),
    };
  });
}
