import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@hubfed/api";
import { services } from "~/server/services";
import { currentActor } from "~/server/session";

export const dynamic = "force-dynamic";

function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () => ({
      db: services().db,
      queues: services().queues,
      redis: services().redis,
      verifyLink: services().verifyLink,
      secretBox: services().secretBox,
      actor: await currentActor(),
      requestMetadata: {
        ipAddress: request.headers.get("x-forwarded-for")?.split(",")[0]?.trim(),
        userAgent: request.headers.get("user-agent") ?? undefined,
      },
    }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR")
        console.error(`[trpc] ${path ?? "?"}:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
