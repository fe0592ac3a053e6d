import type { Metadata } from "next";
import { Forbidden } from "~/components/forbidden";
import { IdentitySettings } from "~/components/identity-settings";
import { requirePagePermission } from "~/server/guards";

export const metadata: Metadata = { title: "Sign-in and keys" };

export default async function IdentityPage() {
  if (!(await requirePagePermission("/ops/identity", "identity.manage")))
    return <Forbidden what="manage sign-in" />;
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-3xl font-bold">Sign-in and keys</h1>
        <p className="text-slate-600">
          How people sign in to the portal, the keys the portal signs hub sign-ins with, and each
          hub&apos;s client secret.
        </p>
      </header>
      <IdentitySettings />
    </div>
  );
}
