import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { serverApi } from "~/server/api";

export const dynamic = "force-dynamic";

/**
 * A month's spend per hub as CSV, through the API (ADR 0009): the procedure
 * checks the permission and scopes the report to what the caller may see.
 */
export async function GET(request: Request) {
  const month = new URL(request.url).searchParams.get("month") ?? "";
  try {
    const spend = await (await serverApi()).credits.spendCsv({ month });
    return new Response(spend.csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="hubfed-spend-${spend.month}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof TRPCError) {
      const fieldErrors = (error.cause as { fieldErrors?: Record<string, string[]> } | undefined)
        ?.fieldErrors;
      return Response.json(
        { error: error.message, ...(fieldErrors ? { fieldErrors } : {}) },
        { status: getHTTPStatusCodeFromError(error) },
      );
    }
    throw error;
  }
}
