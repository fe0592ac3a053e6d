/** Per-field messages from a failed tRPC call (the API's errorFormatter puts them in `data.fieldErrors`). */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  return (
    (error as { data?: { fieldErrors?: Record<string, string[]> | null } } | null)?.data
      ?.fieldErrors ?? {}
  );
}
