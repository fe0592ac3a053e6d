import { serverApi } from "~/server/api";
import { csvResponse, refusalResponse } from "~/server/route-responses";
import { firstValues } from "~/lib/table-query";

export const dynamic = "force-dynamic";

/** The fleet view as CSV, with the same filters as the page (every matching hub, not one page). */
export async function GET(request: Request) {
  const filters = firstValues(Object.fromEntries(new URL(request.url).searchParams));
  try {
    const fleet = await (await serverApi()).fleet.csv(filters);
    return csvResponse(fleet.fileName, fleet.csv);
  } catch (error) {
    return refusalResponse(error);
  }
}
