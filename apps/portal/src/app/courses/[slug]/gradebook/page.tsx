import type { Metadata } from "next";
import type { AppRouterOutputs } from "@hubfed/api";
import { Forbidden } from "~/components/forbidden";
import { GradebookTable } from "~/components/grading/gradebook-table";
import { isApiRefusal, serverApi } from "~/server/api";
import { requireSignedIn } from "~/server/guards";

export const metadata: Metadata = { title: "Gradebook" };
export const dynamic = "force-dynamic";

/** Every student's latest grade on every published assignment (SPEC §4). */
export default async function GradebookPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireSignedIn(`/courses/${encodeURIComponent(slug)}/gradebook`);
  let book: AppRouterOutputs["grading"]["gradebook"];
  try {
    book = await (await serverApi()).grading.gradebook({ courseSlug: slug });
  } catch (error) {
    if (isApiRefusal(error, ["BAD_REQUEST", "NOT_FOUND", "FORBIDDEN"]))
      return <Forbidden what="read this course's gradebook" />;
    throw error;
  }
  return (
    <section aria-labelledby="gradebook-heading" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <div>
          <h2 id="gradebook-heading" className="text-xl font-semibold">
            Gradebook
          </h2>
          <p className="text-sm text-slate-600">
            Each student&apos;s latest submission, after any late penalty. Open a cell for its tests
            and output.
          </p>
        </div>
        {/* A plain link: a file download, not a page. */}
        <a
          href={`/api/courses/${encodeURIComponent(book.course.slug)}/gradebook`}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50"
          download
        >
          Download CSV
        </a>
      </div>
      {book.assignments.length === 0 ? (
        <p className="text-slate-600">No published assignments yet.</p>
      ) : book.rows.length === 0 ? (
        <p className="text-slate-600">No students are enrolled yet.</p>
      ) : (
        <GradebookTable book={book} />
      )}
    </section>
  );
}
