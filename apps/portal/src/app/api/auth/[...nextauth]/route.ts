import NextAuth from "next-auth";
import { services } from "~/server/services";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: RouteContext) {
  // next-auth 4 reads the catch-all segments from `params`, which Next 16 passes as a promise.
  return (
    NextAuth(await services().authOptions()) as (
      request: Request,
      context: { params: { nextauth: string[] } },
    ) => Promise<Response>
  )(request, {
    params: await context.params,
  });
}

export { handler as GET, handler as POST };
