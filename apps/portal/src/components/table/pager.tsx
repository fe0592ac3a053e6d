import Link from "next/link";
import { hrefWith } from "~/lib/table-query";

const controlClass = "rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-50";

/**
 * "Showing 26–50 of 5 000 hubs" with previous and next. A server page pages
 * through links that keep its filters (`path` and `params`); a client
 * component through `onPage`.
 */
export function Pager({
  page,
  pageSize,
  pageCount,
  total,
  noun,
  ...target
}: {
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
  /** Plural, e.g. "hubs". */
  noun: string;
} & ({ path: string; params: Record<string, string> } | { onPage: (page: number) => void })) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const control = (label: string, to: number) =>
    "onPage" in target ? (
      <button type="button" onClick={() => target.onPage(to)} className={controlClass}>
        {label}
      </button>
    ) : (
      <Link
        href={hrefWith(target.path, target.params, { page: String(to) })}
        className={controlClass}
      >
        {label}
      </Link>
    );
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p data-testid="pager-summary">
        {total === 0
          ? `No ${noun}`
          : `Showing ${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} ${noun}`}
      </p>
      <div className="flex items-center gap-2">
        {page > 1 ? control("← Previous", page - 1) : null}
        <span className="text-slate-600">
          Page {page} of {pageCount}
        </span>
        {page < pageCount ? control("Next →", page + 1) : null}
      </div>
    </nav>
  );
}
