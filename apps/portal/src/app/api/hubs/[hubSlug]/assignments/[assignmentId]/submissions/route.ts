import { serverApi } from "~/server/api";
import { hubTokenOf, hubTokenRequiredResponse, refusalResponse } from "~/server/route-responses";

export const dynamic = "force-dynamic";

/**
 * submit() in a student's kernel: the saved notebook, with the server's
 * JupyterHub token; core asks the hub whose token it is.
 */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ hubSlug: string; assignmentId: string }> },
) {
  const { hubSlug, assignmentId } = await params;
  const token = hubTokenOf(request);
  if (!token) return hubTokenRequiredResponse();
  let notebook: unknown;
  try {
    notebook = ((await request.json()) as { notebook?: unknown }).notebook;
  } catch {
    return Response.json(
      { error: 'Send JSON: { "notebook": "<the .ipynb text>" }' },
      { status: 400 },
    );
  }
  if (typeof notebook !== "string")
    return Response.json({ error: "The notebook is missing." }, { status: 400 });
  try {
    const receipt = await (
      await serverApi()
    ).grading.hubSubmit({ hubSlug, assignmentId, token, notebook });
    return Response.json(receipt, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return refusalResponse(error);
  }
}
