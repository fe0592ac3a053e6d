import "server-only";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";

/**
 * A procedure's refusal as a route handler's JSON answer: its message, its
 * field errors when it has them, and the HTTP status tRPC gives its code.
 * Anything else is rethrown (a 500 whose detail stays in the server's log).
 */
export function refusalResponse(error: unknown): Response {
  if (!(error instanceof TRPCError)) throw error;
  const fieldErrors = (error.cause as { fieldErrors?: Record<string, string[]> } | undefined)
    ?.fieldErrors;
  return Response.json(
    { error: error.message, ...(fieldErrors ? { fieldErrors } : {}) },
    { status: getHTTPStatusCodeFromError(error), headers: { "cache-control": "no-store" } },
  );
}

/** A CSV download. */
export function csvResponse(fileName: string, csv: string): Response {
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "-")}"`,
      "cache-control": "no-store",
    },
  });
}

/** The token of an `Authorization: token <t>` header (JupyterHub's own scheme), or "". */
export function hubTokenOf(request: Request): string {
  const header = request.headers.get("authorization") ?? "";
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
  return match?.[1] ?? "";
}

/**
 * The answer to a hub route called without a JupyterHub token: 401 (not the input's 400), so no
 * portal session, and no request without the server's token, is ever mistaken for a caller.
 */
export function hubTokenRequiredResponse(): Response {
  return Response.json(
    { error: "Call this from a student's server, with its JupyterHub token" },
    { status: 401, headers: { "www-authenticate": "token", "cache-control": "no-store" } },
  );
}
