const tones: Record<string, string> = {
  DRAFT: "bg-slate-100 text-slate-700",
  SUBMITTED: "bg-blue-100 text-blue-800",
  CHANGES_REQUESTED: "bg-amber-100 text-amber-900",
  APPROVED: "bg-green-100 text-green-800",
  REJECTED: "bg-red-100 text-red-800",
  WITHDRAWN: "bg-slate-200 text-slate-600",
  PENDING: "bg-slate-100 text-slate-700",
  PROVISIONING: "bg-blue-100 text-blue-800",
  READY: "bg-green-100 text-green-800",
  DEGRADED: "bg-amber-100 text-amber-900",
  FAILED: "bg-red-100 text-red-800",
  SUSPENDED: "bg-slate-300 text-slate-800",
  DECOMMISSIONING: "bg-slate-200 text-slate-700",
  ARCHIVED: "bg-slate-200 text-slate-600",
  HELD: "bg-indigo-100 text-indigo-800",
};

export function StatusBadge({
  status,
  label,
  testId,
}: {
  status: string;
  label?: string;
  testId?: string;
}) {
  return (
    <span
      data-testid={testId}
      className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${tones[status] ?? "bg-slate-100 text-slate-700"}`}
    >
      {label ?? status.replaceAll("_", " ").toLowerCase()}
    </span>
  );
}
