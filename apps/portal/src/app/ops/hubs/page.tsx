import type { Metadata } from "next";
import Link from "next/link";
import { fleetQueryInput } from "@hubfed/core";
import { FleetTable, healthLabels } from "~/components/fleet/fleet-table";
import { Forbidden } from "~/components/forbidden";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, inputClass } from "~/components/form/form-classes";
import { FilterSelect } from "~/components/table/filter-select";
import { Pager } from "~/components/table/pager";
import { TablePageHeader } from "~/components/table/table-page-header";
import { firstValues, hrefWith, parseTableQuery, type SearchParams } from "~/lib/table-query";
import { serverApi } from "~/server/api";
import { requirePagePermission } from "~/server/guards";

export const metadata: Metadata = { title: "Hubs" };

const path = "/ops/hubs";
/** Filters whose message shows under their own field; the rest (sort, page) under the form. */
const shownUnderTheirField = new Set(["search", "status", "health", "regionSlug", "institutionId"]);

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
      <TablePageHeader
        title="Hubs"
        description={
          actor.isOperator
            ? "Every hub of the federation: health, usage and spend."
            : "Your institution's hubs: health, usage and spend."
        }
        csvHref={hrefWith("/api/ops/hubs", params, { page: undefined, pageSize: undefined })}
      />

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
        <FilterSelect
          id="fleet-status"
          name="status"
          label="Status"
          value={params.status}
          anyLabel="Any status"
          options={choices.statuses.map((status) => ({
            value: status,
            label: status.toLowerCase(),
          }))}
          errors={fieldErrors.status}
          className={selectClass}
        />
        <FilterSelect
          id="fleet-health"
          name="health"
          label="Health"
          value={params.health}
          anyLabel="Any health"
          options={choices.healths.map((health) => ({
            value: health,
            label: healthLabels[health],
          }))}
          errors={fieldErrors.health}
          className={selectClass}
        />
        <FilterSelect
          id="fleet-region"
          name="regionSlug"
          label="Region"
          value={params.regionSlug}
          anyLabel="Every region"
          options={choices.regions.map((region) => ({ value: region.slug, label: region.name }))}
          errors={fieldErrors.regionSlug}
          className={selectClass}
        />
        {choices.institutions.length > 1 ? (
          <FilterSelect
            id="fleet-institution"
            name="institutionId"
            label="Institution"
            value={params.institutionId}
            anyLabel="Every institution"
            options={choices.institutions.map((institution) => ({
              value: institution.id,
              label: institution.name,
            }))}
            errors={fieldErrors.institutionId}
            className={selectClass}
          />
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
            .filter(([name]) => !shownUnderTheirField.has(name))
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
