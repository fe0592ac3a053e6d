import { serverApi } from "~/server/api";
import { csvResponse, refusalResponse } from "~/server/route-responses";

export const dynamic = "force-dynamic";

/** The course's gradebook as CSV, for the course's instructors and TAs. */
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  try {
    const book = await (await serverApi()).grading.gradebookCsv({ courseSlug: slug });
    return csvResponse(book.fileName, book.csv);
  } catch (error) {
    return refusalResponse(error);
  }
}
