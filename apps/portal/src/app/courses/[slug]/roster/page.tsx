import type { Metadata } from "next";
import { rosterQueryInput } from "@hubfed/core";
import { HubAccessPanel } from "~/components/enrollment/hub-access-panel";
import { InvitationsPanel } from "~/components/enrollment/invitations-panel";
import { RosterImport } from "~/components/enrollment/roster-import";
import { RosterTable } from "~/components/enrollment/roster-table";
import { Forbidden } from "~/components/forbidden";
import { firstValues, parseTableQuery, type SearchParams } from "~/lib/table-query";
import { serverApi } from "~/server/api";
import { courseForStaff } from "~/server/course-access";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Roster" };

/** The roster's filters and page, from the address (the course comes from the path). */
const rosterFilters = rosterQueryInput.omit({ courseSlug: true });

export default async function RosterPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { slug } = await params;
  const actor = await requireSignedIn(`/courses/${encodeURIComponent(slug)}/roster`);
  const staff = await courseForStaff(slug);
  if (!staff) return <Forbidden what="see this course's roster" />;
  const api = await serverApi();
  const filters = parseTableQuery(rosterFilters, firstValues(await searchParams));
  const roster = await api.enrollment.roster({ ...filters.query, courseSlug: slug });
  const invitations = staff.canManage ? await api.enrollment.invitations({ courseSlug: slug }) : [];
  const hubAccessChanges = await api.enrollment.hubAccessChanges({ courseSlug: slug });
  return (
    <div className="space-y-10">
      <RosterTable
        courseSlug={staff.course.slug}
        roster={roster}
        params={filters.params}
        fieldErrors={filters.fieldErrors}
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
