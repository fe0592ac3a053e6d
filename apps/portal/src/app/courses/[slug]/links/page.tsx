import type { Metadata } from "next";
import { isAppError, listCourseLinks, renderQrCodeSvg } from "@hubfed/core";
import { Forbidden } from "~/components/forbidden";
import { AllowListEditor } from "~/components/links/allow-list-editor";
import { LinkBuilder } from "~/components/links/link-builder";
import { LinkList } from "~/components/links/link-list";
import { portalEnvironment } from "~/env";
import { requireSignedIn } from "~/server/guards";
import { services } from "~/server/services";

export const metadata: Metadata = { title: "Content links" };
export const dynamic = "force-dynamic";

/** Course staff publish content links and see their clicks (SPEC §8). */
export default async function CourseLinksPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requireSignedIn(`/courses/${encodeURIComponent(slug)}/links`);
  const { db, redis } = services();
  let data;
  try {
    data = await listCourseLinks(db, actor, slug, { redis });
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN"))
      return <Forbidden what="see this course's content links" />;
    throw error;
  }
  const portalOrigin = new URL(portalEnvironment().NEXTAUTH_URL).origin;
  const links = await Promise.all(
    data.links.map(async (link) => ({
      ...link,
      shortUrl: `${portalOrigin}${link.shortPath}`,
      qrCodeSvg: link.archivedAt ? null : await renderQrCodeSvg(`${portalOrigin}${link.shortPath}`),
    })),
  );
  return (
    <div className="space-y-10">
      <AllowListEditor
        courseSlug={data.course.slug}
        allowList={data.course.allowList}
        canEdit={data.canManageAllowList}
      />
      {data.canPublish ? (
        <LinkBuilder courseSlug={data.course.slug} allowList={data.course.allowList} />
      ) : null}
      <LinkList courseSlug={data.course.slug} links={links} canArchive={data.canPublish} />
    </div>
  );
}
