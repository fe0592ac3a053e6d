/**
 * The one error type of the domain (STYLE rule 3). Core services throw it;
 * the API layer maps `code` to tRPC/HTTP codes in one place
 * (packages/api/src/errors.ts). `fieldErrors` carries per-field messages for
 * forms, keyed by the dotted field path.
 */
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "TOO_MANY_REQUESTS"
  | "INTERNAL";

export class AppError extends Error {
  override readonly name = "AppError";

  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Per-field messages keyed by the dotted field path, the shape forms render. */
export type FieldErrors = Record<string, string[]>;

/**
 * zod issues as `{ "course.endDate": ["must be after the start date"] }`.
 * An issue about the whole value (an empty path) is filed under `rootKey`.
 * Structural (`issues`), so this module stays free of zod and of anything
 * the portal's client bundle should not carry.
 */
export function fieldErrorsOf(
  error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> },
  rootKey = "form",
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues)
    (errors[issue.path.map(String).join(".") || rootKey] ??= []).push(issue.message);
  return errors;
}

/**
 * The message of anything thrown, cut to what a recorded error column keeps
 * (a provisioning run or step, a GitOps export): a runtime's failure can
 * carry a whole log.
 */
export function failureMessageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2_000);
}
