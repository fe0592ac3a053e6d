import type { Metadata } from "next";
import Link from "next/link";
import { auditQueryInput } from "@hubfed/core";
import { Forbidden } from "~/components/forbidden";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, inputClass } from "~/components/form/form-classes";
import { FilterSelect } from "~/components/table/filter-select";
import { Pager } from "~/components/table/pager";
import { TablePageHeader } from "~/components/table/table-page-header";
import { WideTable } from "~/components/wide-table";
import { formatDateTime } from "~/lib/format";
import { firstValues, hrefWith, parseTableQuery, type SearchParams } from "~/lib/table-query";
import { serverApi } from "~/server/api";
import { requirePagePermission } from "~/server/guards";

export const metadata: Metadata = { title: "Audit log" };

const path = "/ops/audit";

/** Details as short "key: value" pairs; the full JSON is in the CSV. */
function describeDetails(details: unknown): string {
  if (!details || typeof details !== "object") return "";
  return Object.entries(details as Record<string, unknown>)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" · ");
}

/** Who did what to what, when: ops read every event, institution admins their institution's. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePagePermission(path, "audit.read");
  if (!actor) return <Forbidden what="read the audit log" />;
  const { query, fieldErrors, params } = parseTableQuery(
    auditQueryInput,
    firstValues(await searchParams),
  );
  const api = await serverApi();
  const [log, choices] = await Promise.all([api.audit.list(query), api.audit.filterChoices()]);
  const field = (name: string, label: string, control: React.ReactNode) => (
    <div>
      <label htmlFor={`audit-${name}`} className="block text-sm font-medium">
        {label}
      </label>
      {control}
      <FieldError errors={fieldErrors[name]} id={`audit-${name}-error`} />
    </div>
  );
  return (
    <div className="space-y-6">
      <TablePageHeader
        title="Audit log"
        description={
          actor.isOperator
            ? "Every change in the federation: who made it, to what, and when."
            : "Every change to your institution's requests, courses and hubs."
        }
        csvHref={hrefWith("/api/ops/audit", params, { page: undefined, pageSize: undefined })}
      />

      <form
        method="get"
        action={path}
        role="search"
        aria-label="Filter the audit log"
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4"
      >
        {field(
          "actor",
          "Who",
          <input
            id="audit-actor"
            name="actor"
            defaultValue={params.actor ?? ""}
            placeholder="Name or email; “system”"
            className={inputClass}
            maxLength={200}
          />,
        )}
        <FilterSelect
          id="audit-action"
          name="action"
          label="Action"
          value={params.action}
          anyLabel="Any action"
          options={choices.actions.map((action) => ({ value: action, label: action }))}
          errors={fieldErrors.action}
        />
        <FilterSelect
          id="audit-subjectType"
          name="subjectType"
          label="Object"
          value={params.subjectType}
          anyLabel="Any object"
          options={choices.subjectTypes.map((type) => ({ value: type, label: type }))}
          errors={fieldErrors.subjectType}
        />
        {choices.institutions.length > 1 ? (
          <FilterSelect
            id="audit-institutionId"
            name="institutionId"
            label="Institution"
            value={params.institutionId}
            anyLabel="Every institution"
            options={choices.institutions.map((institution) => ({
              value: institution.id,
              label: institution.name,
            }))}
            errors={fieldErrors.institutionId}
          />
        ) : null}
        {field(
          "from",
          "From (UTC day)",
          <input
            id="audit-from"
            name="from"
            type="date"
            defaultValue={params.from ?? ""}
            className={inputClass}
          />,
        )}
        {field(
          "to",
          "To (UTC day)",
          <input
            id="audit-to"
            name="to"
            type="date"
            defaultValue={params.to ?? ""}
            className={inputClass}
          />,
        )}
        {params.subjectId ? (
          <input type="hidden" name="subjectId" value={params.subjectId} />
        ) : null}
        <div className="flex items-end gap-3">
          <button type="submit" className={buttonClass}>
            Apply filters
          </button>
          <Link href={path} className="py-1.5 text-sm text-brand-700 hover:underline">
            Clear
          </Link>
        </div>
      </form>
      {params.subjectId ? (
        <p className="text-sm text-slate-700">
          Showing one object&apos;s history ({params.subjectType ?? "object"} {params.subjectId}).{" "}
          <Link
            href={hrefWith(path, params, { subjectId: undefined, page: undefined })}
            className="text-brand-700 hover:underline"
          >
            Show every object
          </Link>
        </p>
      ) : null}

      <Pager path={path} params={params} noun="events" {...log} />
      {log.items.length > 0 ? (
        <WideTable className="w-full min-w-[56rem] text-left text-sm" data-testid="audit-table">
          <thead className="border-b border-slate-200 text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">
                When
              </th>
              <th scope="col" className="px-3 py-2">
                Who
              </th>
              <th scope="col" className="px-3 py-2">
                Action
              </th>
              <th scope="col" className="px-3 py-2">
                Object
              </th>
              <th scope="col" className="px-3 py-2">
                Institution
              </th>
              <th scope="col" className="px-3 py-2">
                Details
              </th>
            </tr>
          </thead>
          <tbody>
            {log.items.map((entry) => (
              <tr key={entry.id} className="border-b border-slate-100 align-top">
                <td className="whitespace-nowrap px-3 py-2" title={entry.occurredAt.toISOString()}>
                  {formatDateTime(entry.occurredAt)}
                </td>
                <td className="px-3 py-2">
                  {entry.actor}
                  {entry.actorEmail && entry.actorEmail !== entry.actor ? (
                    <div className="text-xs text-slate-500">{entry.actorEmail}</div>
                  ) : null}
                  {entry.ipAddress ? (
                    <div className="text-xs text-slate-500">{entry.ipAddress}</div>
                  ) : null}
                </td>
                <td className="px-3 py-2 font-mono text-xs">{entry.action}</td>
                <td className="px-3 py-2">
                  {entry.subjectHref ? (
                    <Link href={entry.subjectHref} className="text-brand-700 hover:underline">
                      {entry.subjectType}
                      {entry.subjectName ? ` ${entry.subjectName}` : ""}
                    </Link>
                  ) : (
                    `${entry.subjectType}${entry.subjectName ? ` ${entry.subjectName}` : ""}`
                  )}
                  <div>
                    <Link
                      href={hrefWith(
                        path,
                        {},
                        { subjectType: entry.subjectType, subjectId: entry.subjectId },
                      )}
                      className="text-xs text-slate-500 hover:underline"
                    >
                      history
                    </Link>
                  </div>
                </td>
                <td className="px-3 py-2">{entry.institution ?? "—"}</td>
                <td className="max-w-md break-words px-3 py-2 text-xs text-slate-700">
                  {describeDetails(entry.details)}
                </td>
              </tr>
            ))}
          </tbody>
        </WideTable>
      ) : (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-600">
          No event matches these filters.
        </p>
      )}
      {log.pageCount > 1 ? <Pager path={path} params={params} noun="events" {...log} /> : null}
    </div>
  );
}
