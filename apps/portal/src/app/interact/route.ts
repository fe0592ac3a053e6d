import { interactFormOf } from "@hubfed/core";
import { answerInteractRequest } from "~/server/interact";

export const dynamic = "force-dynamic";

/**
 * The classic `/interact?course=…&repo=…` form and the legacy Data 8
 * `?repo=<name>&path=…` form (behaviour in core's resolveInteractRequest).
 */
export async function GET(request: Request) {
  const query = new URL(request.url).searchParams;
  const search = query.toString();
  return answerInteractRequest(
    request,
    (userId) => ({ form: interactFormOf(query), query, userId }),
    `/interact/status${search ? `?${search}` : ""}`,
  );
}
