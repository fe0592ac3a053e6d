import { serverApi } from "~/server/api";
import { hubTokenOf, hubTokenRequiredResponse, refusalResponse } from "~/server/route-responses";

export const dynamic = "force-dynamic";

/**
 * An assignment's files for a student's server: the autograder's server
 * extension in the hub calls this with the server's JupyterHub token, and
 * core asks the hub whose token it is (no second sign-in).
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ hubSlug: string; assignmentId: string }> },
) {
  const { hubSlug, assignmentId } = await params;
  const token = hubTokenOf(request);
  if (!token) return hubTokenRequiredResponse();
  try {
    const material = await (
      await serverApi()
    ).grading.hubMaterial({ hubSlug, assignmentId, token });
    return Response.json(material, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return refusalResponse(error);
  }
}
