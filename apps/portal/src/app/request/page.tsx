import type { Metadata } from "next";
import { RequestForm } from "~/components/request-form/request-form";
import { requireSignedIn } from "~/server/guards";
import { currentSession } from "~/server/session";

export const metadata: Metadata = { title: "Request a hub" };

export default async function RequestPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const parameters = await searchParams;
  const requestId =
    typeof parameters.id === "string" && /^[a-z0-9]{1,40}$/.test(parameters.id)
      ? parameters.id
      : undefined;
  await requireSignedIn(requestId ? `/request?id=${requestId}` : "/request");
  const session = await currentSession();
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-3xl font-bold">Request a hub for your course</h1>
        <p className="mt-2 max-w-3xl text-slate-600">
          Tell us about the course, its schedule and its students. The estimate on the right updates
          as you type; your draft is saved as you go, and federation operators review it once you
          submit.
        </p>
      </header>
      <RequestForm
        requestId={requestId}
        requesterEmailDomain={session?.user.email?.split("@")[1]}
      />
    </div>
  );
}
