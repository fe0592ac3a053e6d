import { can } from "@hubfed/auth";
import { isAppError, renderSpendCsv, reportMonthlySpend } from "@hubfed/core";
import { services } from "~/server/services";
import { currentActor } from "~/server/session";

export const dynamic = "force-dynamic";

/** A month's spend per hub as CSV: all of it for ops, their own institution's for institution admins. */
export async function GET(request: Request) {
  const actor = await currentActor();
  if (!actor) return Response.json({ error: "Sign in first" }, { status: 401 });
  if (!can(actor, "credits.read"))
    return Response.json({ error: "You cannot see credits" }, { status: 403 });
  const month = new URL(request.url).searchParams.get("month") ?? "";
  try {
    const report = await reportMonthlySpend(services().db, month, {
      institutionIds: actor.isOperator ? undefined : [...actor.adminOfInstitutionIds],
    });
    return new Response(renderSpendCsv(report), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="hubfed-spend-${report.month}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (isAppError(error))
      return Response.json(
        { error: error.message, fieldErrors: error.fieldErrors },
        { status: 400 },
      );
    throw error;
  }
}
