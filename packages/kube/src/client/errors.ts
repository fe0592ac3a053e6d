import { ApiException } from "@kubernetes/client-node";

/** What went wrong talking to a cluster, as data a UI can show per cluster. */
export interface KubernetesCallError {
  kind: "api" | "unreachable" | "timeout" | "unknown";
  /** HTTP status for API errors (404, 409, 422, …). */
  statusCode: number | null;
  /** The Status reason for API errors (NotFound, Conflict, …). */
  reason: string | null;
  message: string;
}

const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EPIPE",
]);

export class KubernetesTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = "KubernetesTimeoutError";
  }
}

/**
 * Turns whatever the client threw into a KubernetesCallError. API errors
 * carry the server's Status (the client hands it over as text); network
 * errors come from undici's fetch ("fetch failed") with the system error code in its cause.
 */
export function describeKubernetesError(error: unknown): KubernetesCallError {
  if (error instanceof ApiException) {
    const status = parseStatus(error.body);
    return {
      kind: "api",
      statusCode: error.code,
      reason: status?.reason ?? null,
      message: status?.message ?? `HTTP ${error.code}`,
    };
  }
  if (error instanceof KubernetesTimeoutError) {
    return { kind: "timeout", statusCode: null, reason: null, message: error.message };
  }
  if (error instanceof Error) {
    const code = findErrorCode(error);
    const isUnreachable =
      (code !== undefined && unreachableCodes.has(code)) || error.name === "FetchError";
    return {
      kind: isUnreachable ? "unreachable" : "unknown",
      statusCode: null,
      reason: null,
      message: error.message,
    };
  }
  return { kind: "unknown", statusCode: null, reason: null, message: String(error) };
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

function parseStatus(body: unknown): { reason?: string; message?: string } | undefined {
  const parsed: unknown = typeof body === "string" ? safeJsonParse(body) : body;
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { reason, message } = parsed as Record<string, unknown>;
  return {
    reason: typeof reason === "string" ? reason : undefined,
    message: typeof message === "string" ? message : undefined,
  };
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function findErrorCode(error: Error): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
