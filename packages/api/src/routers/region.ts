import { z } from "zod";
import { listRegions } from "@hubfed/core";
import { clusterRuntimeSchema } from "../shapes";
import { requirePermission, router } from "../trpc";

const regionSummary = z.object({
  slug: z.string(),
  name: z.string(),
  baseDomain: z.string(),
  currency: z.string(),
  syncedAt: z.date(),
  clusters: z.array(
    z.object({
      slug: z.string(),
      displayName: z.string(),
      runtime: clusterRuntimeSchema,
      cloudProvider: z.string().nullable(),
      nodePools: z.array(
        z.object({
          name: z.string(),
          machineType: z.string(),
          vcpu: z.number(),
          memoryMib: z.number(),
          hourlyPriceMicros: z.number(),
          minNodes: z.number(),
          maxNodes: z.number(),
        }),
      ),
    }),
  ),
});

export const regionRouter = router({
  list: requirePermission("region.read")
    .input(z.void())
    .output(z.array(regionSummary))
    .query(({ ctx }) => listRegions(ctx.db)),
});
