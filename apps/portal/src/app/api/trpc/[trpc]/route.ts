import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@hubfed/api";
import { createApiContext } from "~/server/api";
import { requestIdHeader } from "~/server/http-observability";
import { portalLogger } from "~/server/log";

export const dynamic = "force-dynamic";

function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createApiContext(request.headers),
    onError({ error, path }) {
      const fields = { requestId: request.headers.get(requestIdHeader), procedure: path ?? "?" };
      if (error.code === "INTERNAL_SERVER_ERROR")
        portalLogger().error({ ...fields, error: error.cause ?? error }, "procedure failed");
      // A stalled database or queue: said to the caller plainly, and worth an operator's glance.
      else if (error.code === "SERVICE_UNAVAILABLE")
        portalLogger().warn(
          { ...fields, error: error.cause ?? error },
          "procedure refused: dependency unavailable",
        );
    },
  });
}

export { handler as GET, handler as POST };
