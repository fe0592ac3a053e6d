import type { Metadata } from "next";
import { JoinCodeForm } from "~/components/enrollment/join-course";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Join a course" };

export default async function JoinPage() {
  await requireSignedIn("/join");
  return (
    <div className="mx-auto max-w-md space-y-4 rounded-lg border border-slate-200 bg-white p-8">
      <h1 className="text-2xl font-bold">Join a course</h1>
      <p className="text-slate-600">Type the join code your instructor gave you.</p>
      <JoinCodeForm />
    </div>
  );
}
