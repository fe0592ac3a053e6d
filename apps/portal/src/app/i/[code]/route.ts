import { answerInteractRequest } from "~/server/interact";

export const dynamic = "force-dynamic";

/** /i/<code>: a published content link (behaviour in core's resolveInteractRequest). */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return answerInteractRequest(
    request,
    (userId) => ({ form: "code", code, userId }),
    `/i/${encodeURIComponent(code)}/status`,
  );
}
