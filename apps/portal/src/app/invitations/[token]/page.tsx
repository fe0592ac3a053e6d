import type { Metadata } from "next";
import { AcceptInvitationButton } from "~/components/enrollment/accept-invitation";
import { formatDate } from "~/lib/format";
import type { AppRouterOutputs } from "@hubfed/api";
import { isApiRefusal, serverApi } from "~/server/api";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

const roleWords = { INSTRUCTOR: "an instructor", TA: "a teaching assistant", STUDENT: "a student" };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  await requireSignedIn(`/invitations/${encodeURIComponent(token)}`);
  const invitation = await describeInvitation(token);
  return (
    <div className="mx-auto max-w-lg space-y-4 rounded-lg border border-slate-200 bg-white p-8">
      {invitation.state === "unknown" ? (
        <>
          <h1 className="text-2xl font-bold">This invitation link does not work</h1>
          <p role="alert" className="text-slate-700">
            Check that you copied the whole link, or ask the course staff to invite you again.
          </p>
        </>
      ) : (
        <>
          <p className="text-sm text-slate-500">
            {invitation.course.institution} · {invitation.course.term}
          </p>
          <h1 className="text-2xl font-bold">
            {invitation.course.code}: {invitation.course.title}
          </h1>
          <p>
            {invitation.invitedBy ?? "The course staff"} invited {invitation.invitedEmail} to join
            as {roleWords[invitation.role]}.
          </p>
          {invitation.state !== "pending" ? (
            <p role="alert" className="rounded-md bg-red-50 p-4 text-red-900">
              {invitation.message}
            </p>
          ) : invitation.isForSignedInPerson ? (
            <>
              <p className="text-sm text-slate-500">
                Open until {formatDate(invitation.expiresAt)}.
              </p>
              <AcceptInvitationButton locator={{ token }} label="Accept the invitation" />
            </>
          ) : (
            <p role="alert" className="rounded-md bg-amber-50 p-4 text-amber-900">
              You are signed in with another email address. Sign out and sign in as{" "}
              {invitation.invitedEmail} to accept.
            </p>
          )}
        </>
      )}
    </div>
  );
}

/** The invitation behind the link; a token the API refuses outright is one that does not work. */
async function describeInvitation(
  token: string,
): Promise<AppRouterOutputs["enrollment"]["describeInvitation"]> {
  try {
    return await (await serverApi()).enrollment.describeInvitation({ token });
  } catch (error) {
    if (isApiRefusal(error, ["BAD_REQUEST"])) return { state: "unknown" };
    throw error;
  }
}
