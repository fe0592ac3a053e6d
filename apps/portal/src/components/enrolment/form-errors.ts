/** Field errors of a failed tRPC call (zod issues or an AppError's fieldErrors), keyed by field. */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  const fieldErrors = (error as { data?: { fieldErrors?: Record<string, string[]> | null } } | null)
    ?.data?.fieldErrors;
  if (fieldErrors && Object.keys(fieldErrors).length > 0) return fieldErrors;
  const message = (error as { message?: string } | null)?.message;
  return { form: [message ?? "Something went wrong"] };
}

export const inputClass = "w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
export const buttonClass =
  "rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50";
export const secondaryButtonClass =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-50";
