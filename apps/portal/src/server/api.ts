import "server-only";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { cache } from "react";
import { clientAddressHeader } from "@hubfed/auth/http-security";
import { appRouter, createCallerFactory, toTrpcError, type ApiContext } from "@hubfed/api";
import { services } from "./services";
import { currentActor } from "./session";

// How the portal reaches core (ADR 0009): the browser through /api/trpc, server pages through
// the same procedures called in process. Both build their context here, so a page's read passes
// the same tier and permission check as the browser's.

/** The API's context for one request: the process-wide clients and who is signed in. */
export async function createApiContext(requestHeaders: Headers): Promise<ApiContext> {
  const {
    db,
    queues,
    jobInspector,
    redis,
    verifyLink,
    readRepositoryMaterial,
    identifyHubUser,
    secretBox,
  } = services();
  return {
    db,
    queues,
    jobInspector,
    redis,
    verifyLink,
    readRepositoryMaterial,
    identifyHubUser,
    secretBox,
    actor: await currentActor().catch((error: unknown) => {
      // Who is asking comes from the database: when it does not answer, say so (503), as the
      // procedures do, rather than a bare 500.
      throw toTrpcError(error) ?? error;
    }),
    requestMetadata: {
      // Set by server.ts from the socket and the trusted proxy hops, never the client's own words.
      ipAddress: requestHeaders.get(clientAddressHeader) ?? undefined,
      userAgent: requestHeaders.get("user-agent") ?? undefined,
    },
  };
}

const createCaller = createCallerFactory(appRouter);

/** The API for server pages and layouts, made once per request. */
export const serverApi = cache(async () => createCaller(await createApiContext(await headers())));

/**
 * Whether a procedure refused with one of `codes`, which a page shows as a refusal
 * rather than an error page. Core's AppError codes arrive as the API's tRPC codes; a
 * path segment the procedure's input refuses (a slug or code too long) is BAD_REQUEST,
 * which pages treat like NOT_FOUND: nothing has that name.
 */
export function isApiRefusal(error: unknown, codes: TRPCError["code"][]): error is TRPCError {
  return error instanceof TRPCError && codes.includes(error.code);
}
