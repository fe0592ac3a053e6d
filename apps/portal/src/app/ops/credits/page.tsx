import type { Metadata } from "next";
import { can } from "@hubfed/auth";
import { CreditsDashboard } from "~/components/credits/credits-dashboard";
import { Forbidden } from "~/components/forbidden";
import { requirePagePermission } from "~/server/guards";

export const metadata: Metadata = { title: "Credits" };

export default async function CreditsPage() {
  const actor = await requirePagePermission("/ops/credits", "credits.read");
  if (!actor) return <Forbidden what="see credits" />;
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-3xl font-bold">Credits</h1>
        <p className="mt-2 max-w-3xl text-slate-600">
          Spend against budget per pool and per hub, with the forecast at the current burn. Alerts
          go out at 75 %, 90 % and 100 % of an allocation.
        </p>
      </header>
      <CreditsDashboard canManage={can(actor, "credits.manage")} />
    </div>
  );
}
