import type { Metadata } from "next";
import { HubAccessPanel } from "~/components/enrollment/hub-access-panel";
import { InvitationsPanel } from "~/components/enrollment/invitations-panel";
import { RosterImport } from "~/components/enrollment/roster-import";
import { RosterTable } from "~/components/enrollment/roster-table";
import { Forbidden } from "~/components/forbidden";
import { serverApi } from "~/server/api";
import { courseForStaff } from "~/server/course-access";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Roster" };

export default async function RosterPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requireSignedIn(`/courses/${encodeURIComponent(slug)}/roster`);
  const staff = await courseForStaff(slug);
  if (!staff) return <Forbidden what="see this course's roster" />;
  const api = await serverApi();
  const roster = await api.enrollment.roster({ courseSlug: slug });
  const invitations = staff.canManage ? await api.enrollment.invitations({ courseSlug: slug }) : [];
  const hubAccessChanges = await api.enrollment.hubAccessChanges({ courseSlug: slug });
  return (
    <div className="space-y-10">
      <RosterTable
        courseSlug={staff.course.slug}
        entries={roster.entries}
        canManage={staff.canManage}
        currentUserId={actor.userId}
      />
      <HubAccessPanel
        courseSlug={staff.course.slug}
        changes={hubAccessChanges}
        canManage={staff.canManage}
      />
      {staff.canManage ? (
        <>
          <RosterImport courseSlug={staff.course.slug} />
          <InvitationsPanel courseSlug={staff.course.slug} invitations={invitations} />
        </>
      ) : null}
    </div>
  );
}
