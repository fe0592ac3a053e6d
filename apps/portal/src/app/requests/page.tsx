import type { Metadata } from "next";
import Link from "next/link";
import { MyRequests } from "~/components/my-requests";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "My requests" };

export default async function MyRequestsPage() {
  await requireSignedIn("/requests");
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-3xl font-bold">My hub requests</h1>
        <Link
          href="/request"
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white"
        >
          Request a hub
        </Link>
      </div>
      <MyRequests />
    </div>
  );
}
