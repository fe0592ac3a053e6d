// The look of the small forms' controls (enrollment, links): one place, so they all match.
export const inputClass = "w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
export const buttonClass =
  "rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50";
export const secondaryButtonClass =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-50";
