import type { Metadata } from "next";
import { listCourseInvitations, listRoster } from "@hubfed/core";
import { InvitationsPanel } from "~/components/enrollment/invitations-panel";
import { RosterImport } from "~/components/enrollment/roster-import";
import { RosterTable } from "~/components/enrollment/roster-table";
import { Forbidden } from "~/components/forbidden";
import { courseForStaff } from "~/server/course-access";
import { requireSignedIn } from "~/server/guards";
import { services } from "~/server/services";

export const metadata: Metadata = { title: "Roster" };

export default async function RosterPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requireSignedIn(`/courses/${encodeURIComponent(slug)}/roster`);
  const staff = await courseForStaff(actor, slug);
  if (!staff) return <Forbidden what="see this course's roster" />;
  const db = services().db;
  const roster = await listRoster(db, actor, slug);
  const invitations = staff.canManage ? await listCourseInvitations(db, actor, slug) : [];
  return (
    <div className="space-y-10">
      <RosterTable
        courseSlug={staff.course.slug}
        entries={roster.entries}
        canManage={staff.canManage}
        currentUserId={actor.userId}
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
