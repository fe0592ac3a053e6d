import { secondaryButtonClass } from "~/components/form/form-classes";

/** A long table's page title, what it shows, and its CSV download (the same filters, every row). */
export function TablePageHeader({
  title,
  description,
  csvHref,
}: {
  title: string;
  description: string;
  csvHref: string;
}) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-3xl font-bold">{title}</h1>
        <p className="text-slate-600">{description}</p>
      </div>
      <a href={csvHref} className={secondaryButtonClass} download>
        Download CSV
      </a>
    </div>
  );
}
