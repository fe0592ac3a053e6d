import { serverApi } from "~/server/api";
import { csvResponse, refusalResponse } from "~/server/route-responses";
import { firstValues } from "~/lib/table-query";

export const dynamic = "force-dynamic";

/** The audit log as CSV, with the same filters as the page. */
export async function GET(request: Request) {
  const filters = firstValues(Object.fromEntries(new URL(request.url).searchParams));
  try {
    const log = await (await serverApi()).audit.csv(filters);
    return csvResponse(log.fileName, log.csv);
  } catch (error) {
    return refusalResponse(error);
  }
}
