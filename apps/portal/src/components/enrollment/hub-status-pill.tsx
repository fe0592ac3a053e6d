import type { HubStatusTone } from "@hubfed/core";

const toneClasses: Record<HubStatusTone, string> = {
  green: "bg-green-100 text-green-800",
  amber: "bg-amber-100 text-amber-900",
  blue: "bg-blue-100 text-blue-800",
  red: "bg-red-100 text-red-800",
  slate: "bg-slate-200 text-slate-700",
};

/** A hub's status in words a student reads, coloured by what it means for them. */
export function HubStatusPill({
  label,
  tone,
  explanation,
  testId = "hub-status",
}: {
  label: string;
  tone: HubStatusTone;
  explanation?: string;
  testId?: string;
}) {
  return (
    <span
      data-testid={testId}
      data-tone={tone}
      title={explanation}
      className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${toneClasses[tone]}`}
    >
      {label}
    </span>
  );
}
