import type { Metadata } from "next";
import Link from "next/link";
import { fleetQueryInput } from "@hubfed/core";
import { FleetTable, healthLabels } from "~/components/fleet/fleet-table";
import { Forbidden } from "~/components/forbidden";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, inputClass, secondaryButtonClass } from "~/components/form/form-classes";
import { Pager } from "~/components/table/pager";
import { firstValues, hrefWith, parseTableQuery, type SearchParams } from "~/lib/table-query";
import { serverApi } from "~/server/api";
import { requirePagePermission } from "~/server/guards";

export const metadata: Metadata = { title: "Hubs" };

const path = "/ops/hubs";

/** The fleet view: every hub ops may see (institution admins: their own), found by filter and search. */
export default async function FleetPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission(path, "fleet.read");
  if (!actor) return <Forbidden what="see the fleet of hubs" />;
  const { query, fieldErrors, params } = parseTableQuery(
    fleetQueryInput,
    firstValues(await searchParams),
  );
  const api = await serverApi();
  const [fleet, choices] = await Promise.all([api.fleet.list(query), api.fleet.filterChoices()]);
  const now = new Date();
  const selectClass = `${inputClass} md:w-44`;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold">Hubs</h1>
          <p className="text-slate-600">
            {actor.isOperator
              ? "Every hub of the federation: health, usage and spend."
              : "Your institution's hubs: health, usage and spend."}
          </p>
        </div>
        <a
          href={hrefWith("/api/ops/hubs", params, { page: undefined, pageSize: undefined })}
          className={secondaryButtonClass}
          download
        >
          Download CSV
        </a>
      </div>

      <form
        method="get"
        action={path}
        role="search"
        aria-label="Filter hubs"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
      >
        <div className="min-w-[14rem] flex-1">
          <label htmlFor="fleet-search" className="block text-sm font-medium">
            Search
          </label>
          <input
            id="fleet-search"
            name="search"
            type="search"
            defaultValue={params.search ?? ""}
            placeholder="Hub, course code or title, institution"
            className={inputClass}
            maxLength={100}
          />
          <FieldError errors={fieldErrors.search} />
        </div>
        <div>
          <label htmlFor="fleet-status" className="block text-sm font-medium">
            Status
          </label>
          <select
            id="fleet-status"
            name="status"
            defaultValue={params.status ?? ""}
            className={selectClass}
          >
            <option value="">Any status</option>
            {choices.statuses.map((status) => (
              <option key={status} value={status}>
                {status.toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="fleet-health" className="block text-sm font-medium">
            Health
          </label>
          <select
            id="fleet-health"
            name="health"
            defaultValue={params.health ?? ""}
            className={selectClass}
          >
            <option value="">Any health</option>
            {choices.healths.map((health) => (
              <option key={health} value={health}>
                {healthLabels[health]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="fleet-region" className="block text-sm font-medium">
            Region
          </label>
          <select
            id="fleet-region"
            name="regionSlug"
            defaultValue={params.regionSlug ?? ""}
            className={selectClass}
          >
            <option value="">Every region</option>
            {choices.regions.map((region) => (
              <option key={region.slug} value={region.slug}>
                {region.name}
              </option>
            ))}
          </select>
        </div>
        {choices.institutions.length > 1 ? (
          <div>
            <label htmlFor="fleet-institution" className="block text-sm font-medium">
              Institution
            </label>
            <select
              id="fleet-institution"
              name="institutionId"
              defaultValue={params.institutionId ?? ""}
              className={selectClass}
            >
              <option value="">Every institution</option>
              {choices.institutions.map((institution) => (
                <option key={institution.id} value={institution.id}>
                  {institution.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {params.sort ? <input type="hidden" name="sort" value={params.sort} /> : null}
        {params.direction ? (
          <input type="hidden" name="direction" value={params.direction} />
        ) : null}
        <button type="submit" className={buttonClass}>
          Apply filters
        </button>
        <Link href={path} className="py-1.5 text-sm text-brand-700 hover:underline">
          Clear
        </Link>
        <FieldError
          errors={Object.entries(fieldErrors)
            .filter(([name]) => name !== "search")
            .flatMap(([, messages]) => messages)}
        />
      </form>

      <Pager path={path} params={params} noun="hubs" {...fleet} />
      {fleet.items.length > 0 ? (
        <FleetTable
          hubs={fleet.items}
          path={path}
          params={params}
          sort={query.sort}
          direction={query.direction}
          now={now}
        />
      ) : (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-600">
          No hub matches these filters.
        </p>
      )}
      {fleet.pageCount > 1 ? <Pager path={path} params={params} noun="hubs" {...fleet} /> : null}
    </div>
  );
}
