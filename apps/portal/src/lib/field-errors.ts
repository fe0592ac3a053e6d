/** Per-field messages from a failed tRPC call (the API's errorFormatter puts them in `data.fieldErrors`). */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  return (
    (error as { data?: { fieldErrors?: Record<string, string[]> | null } } | null)?.data
      ?.fieldErrors ?? {}
  );
}

/** Like fieldErrorsOf, but a failure with no field errors becomes one form-level message, so the form always says something. */
export function fieldErrorsOrMessage(error: unknown): Record<string, string[]> {
  const fieldErrors = fieldErrorsOf(error);
  if (Object.keys(fieldErrors).length > 0) return fieldErrors;
  const message = (error as { message?: string } | null)?.message;
  return { form: [message ?? "Something went wrong"] };
}
