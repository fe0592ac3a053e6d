"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

function formatHourlyPrice(micros: number, currency: string): string {
  return `${new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: 3 }).format(micros / 1_000_000)}/h`;
}

/** The federation's regions, loaded through tRPC (`region.list`, ops only). */
export function RegionsPanel() {
  const trpc = useTRPC();
  const regions = useQuery(trpc.region.list.queryOptions());
  if (regions.isPending) return <p className="text-slate-500">Loading regions…</p>;
  if (regions.isError)
    return (
      <p role="alert" className="text-red-700">
        Could not load regions: {regions.error.message}
      </p>
    );
  return (
    <div className="grid gap-4 md:grid-cols-2" data-testid="regions">
      {regions.data.map((region) => (
        <article
          key={region.slug}
          className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
        >
          <h3 className="text-lg font-semibold">{region.name}</h3>
          <p className="text-sm text-slate-500">
            {region.slug} · {region.baseDomain} · {region.currency}
          </p>
          <ul className="mt-3 space-y-3">
            {region.clusters.map((cluster) => (
              <li key={cluster.slug}>
                <p className="font-medium">
                  {cluster.displayName}{" "}
                  <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">
                    {cluster.runtime === "LOCAL"
                      ? "local"
                      : `kubernetes · ${cluster.cloudProvider ?? ""}`}
                  </span>
                </p>
                <ul className="ml-4 list-disc text-sm text-slate-600">
                  {cluster.nodePools.map((pool) => (
                    <li key={pool.name}>
                      {pool.name}: {pool.machineType} ({pool.vcpu} vCPU,{" "}
                      {Math.round(pool.memoryMib / 1024)} GiB), {pool.minNodes}–{pool.maxNodes}{" "}
                      nodes, {formatHourlyPrice(pool.hourlyPriceMicros, region.currency)}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </article>
      ))}
    </div>
  );
}
