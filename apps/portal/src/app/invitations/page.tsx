import type { Metadata } from "next";
import { AcceptInvitationButton } from "~/components/enrollment/accept-invitation";
import { formatDate } from "~/lib/format";
import { serverApi } from "~/server/api";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Invitations" };

const roleWords = { INSTRUCTOR: "instructor", TA: "teaching assistant", STUDENT: "student" };

/** Staff invitations addressed to the signed-in person's email (where invitation notices link). */
export default async function MyInvitationsPage() {
  await requireSignedIn("/invitations");
  const invitations = await (await serverApi()).enrollment.myInvitations();
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Invitations</h1>
      {invitations.length === 0 ? (
        <p className="text-slate-600">You have no open invitations.</p>
      ) : (
        <ul className="space-y-3">
          {invitations.map((invitation) => (
            <li key={invitation.id} className="rounded-lg border border-slate-200 bg-white p-5">
              <p className="font-semibold">
                {invitation.course.code}: {invitation.course.title} ({invitation.course.term})
              </p>
              <p className="text-sm text-slate-600">
                {invitation.course.institution} · as {roleWords[invitation.role]} · invited by{" "}
                {invitation.invitedBy ?? "the course staff"} · open until{" "}
                {formatDate(invitation.expiresAt)}
              </p>
              <div className="mt-3">
                <AcceptInvitationButton locator={{ invitationId: invitation.id }} label="Accept" />
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
