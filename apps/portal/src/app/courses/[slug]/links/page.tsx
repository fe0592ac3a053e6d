import type { Metadata } from "next";
import type { AppRouterOutputs } from "@hubfed/api";
import { renderQrCodeSvg } from "@hubfed/core";
import { Forbidden } from "~/components/forbidden";
import { AllowListEditor } from "~/components/links/allow-list-editor";
import { LinkBuilder } from "~/components/links/link-builder";
import { LinkList } from "~/components/links/link-list";
import { portalEnvironment } from "~/env";
import { isApiRefusal, serverApi } from "~/server/api";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Content links" };
export const dynamic = "force-dynamic";

/** Course staff publish content links and see their clicks (SPEC §8). */
export default async function CourseLinksPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireSignedIn(`/courses/${encodeURIComponent(slug)}/links`);
  let data: AppRouterOutputs["link"]["list"];
  try {
    data = await (await serverApi()).link.list({ courseSlug: slug });
  } catch (error) {
    if (isApiRefusal(error, ["BAD_REQUEST", "NOT_FOUND", "FORBIDDEN"]))
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
        <LinkBuilder
          courseSlug={data.course.slug}
          allowList={data.course.allowList}
          unavailableInterfaces={data.course.unavailableInterfaces}
        />
      ) : null}
      <LinkList courseSlug={data.course.slug} links={links} canArchive={data.canPublish} />
    </div>
  );
}
