import { serverApi } from "~/server/api";
import { csvResponse, refusalResponse } from "~/server/route-responses";

export const dynamic = "force-dynamic";

/**
 * A month's spend per hub as CSV, through the API (ADR 0009): the procedure
 * checks the permission and scopes the report to what the caller may see.
 */
export async function GET(request: Request) {
  const month = new URL(request.url).searchParams.get("month") ?? "";
  try {
    const spend = await (await serverApi()).credits.spendCsv({ month });
    return csvResponse(`hubfed-spend-${spend.month}.csv`, spend.csv);
  } catch (error) {
    return refusalResponse(error);
  }
}
