"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function CourseTabs({ slug }: { slug: string }) {
  const pathname = usePathname();
  const base = `/courses/${encodeURIComponent(slug)}`;
  const tabs = [
    { href: base, label: "Overview" },
    { href: `${base}/roster`, label: "Roster" },
    { href: `${base}/links`, label: "Links" },
    { href: `${base}/schedule`, label: "Schedule" },
    { href: `${base}/assignments`, label: "Assignments" },
    { href: `${base}/gradebook`, label: "Gradebook" },
  ];
  return (
    <nav aria-label="Course" className="mt-4 flex gap-1 overflow-x-auto border-b border-slate-200">
      {tabs.map((tab) => {
        // An assignment's page is under Assignments; a submission's, under the Gradebook.
        const isCurrent =
          pathname === tab.href ||
          (tab.href !== base && pathname.startsWith(`${tab.href}/`)) ||
          (tab.label === "Gradebook" && pathname.startsWith(`${base}/submissions/`));
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={isCurrent ? "page" : undefined}
            className={`-mb-px shrink-0 border-b-2 px-3 py-2 sm:px-4 text-sm font-medium ${
              isCurrent
                ? "border-brand-600 text-brand-800"
                : "border-transparent text-slate-600 hover:text-slate-900"
            }`}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
