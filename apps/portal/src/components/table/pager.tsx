import Link from "next/link";
import { hrefWith } from "~/lib/table-query";

/** "Showing 26–50 of 5 000" with previous and next links that keep the filters. */
export function Pager({
  path,
  params,
  page,
  pageSize,
  pageCount,
  total,
  noun,
}: {
  path: string;
  params: Record<string, string>;
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
  /** Plural, e.g. "hubs". */
  noun: string;
}) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const linkClass = "rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-50";
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p data-testid="pager-summary">
        {total === 0
          ? `No ${noun}`
          : `Showing ${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} ${noun}`}
      </p>
      <div className="flex items-center gap-2">
        {page > 1 ? (
          <Link href={hrefWith(path, params, { page: String(page - 1) })} className={linkClass}>
            ← Previous
          </Link>
        ) : null}
        <span className="text-slate-600">
          Page {page} of {pageCount}
        </span>
        {page < pageCount ? (
          <Link href={hrefWith(path, params, { page: String(page + 1) })} className={linkClass}>
            Next →
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
