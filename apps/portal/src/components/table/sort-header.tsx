import Link from "next/link";
import { hrefWith } from "~/lib/table-query";

/**
 * A column header that sorts the table by its column: the first click sorts
 * in the column's natural direction, the next reverses it. Screen readers
 * hear the current order through aria-sort.
 */
export function SortHeader({
  label,
  sortKey,
  path,
  params,
  current,
  direction,
  firstDirection = "asc",
  className = "",
}: {
  label: string;
  sortKey: string;
  path: string;
  params: Record<string, string>;
  current: string;
  direction: "asc" | "desc";
  firstDirection?: "asc" | "desc";
  className?: string;
}) {
  const isCurrent = current === sortKey;
  const next = isCurrent ? (direction === "asc" ? "desc" : "asc") : firstDirection;
  return (
    <th
      scope="col"
      className={`px-3 py-2 ${className}`}
      aria-sort={isCurrent ? (direction === "asc" ? "ascending" : "descending") : "none"}
    >
      <Link
        href={hrefWith(path, params, { sort: sortKey, direction: next, page: undefined })}
        className="hover:underline"
      >
        {label}
        {isCurrent ? <span aria-hidden="true">{direction === "asc" ? " ▲" : " ▼"}</span> : null}
      </Link>
    </th>
  );
}
