import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { isAppError, type AppErrorCode } from "@hubfed/core";
import { isDatabaseUnavailable } from "@hubfed/db";
import { isRedisUnavailable, JobQueueUnavailableError } from "@hubfed/jobs";

// The one place AppError codes become tRPC (and so HTTP) codes (STYLE rule 3).
const trpcCodeOf: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

/**
 * What the caller is told when a dependency did not answer in time (a stalled or down database
 * or Redis): a 503 that says which and that trying again later is the remedy, instead of a hang
 * or an opaque 500. The driver's own words (hosts, ports) stay in the server's log.
 */
export const databaseUnavailableMessage =
  "The database is not answering right now, so this could not be done. Please try again in a minute.";
export const queueUnavailableMessage =
  "The job queue is not answering right now, so the background work this needs was not queued. Please try again in a minute.";
export const redisUnavailableMessage =
  "A service the portal needs (Redis) is not answering right now, so this could not be done. Please try again in a minute.";

/** The tRPC error for a failure we name, or undefined for one that stays as it is. */
export function toTrpcError(error: unknown): TRPCError | undefined {
  if (isAppError(error))
    return new TRPCError({ code: trpcCodeOf[error.code], message: error.message, cause: error });
  if (isDatabaseUnavailable(error))
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: databaseUnavailableMessage,
      cause: error,
    });
  if (isRedisUnavailable(error))
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message:
        error instanceof JobQueueUnavailableError
          ? queueUnavailableMessage
          : redisUnavailableMessage,
      cause: error,
    });
  return undefined;
}
