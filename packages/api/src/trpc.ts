import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import { can, type Action } from "@hubfed/auth";
import { isAppError } from "@hubfed/core";
import type { ApiContext } from "./context";
import { toTrpcError } from "./errors";

export interface ProcedureMeta {
  /** The permission-table action the procedure requires; absent for public and signed-in tiers. */
  permission?: Action;
  tier: "public" | "signed-in" | "permission";
}

/** zod issues keyed by their dotted path ("draft.course.endDate"), the shape forms render. */
function fieldErrorsByPath(error: z.ZodError): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues)
    (errors[issue.path.map(String).join(".") || "input"] ??= []).push(issue.message);
  return errors;
}

const t = initTRPC
  .context<ApiContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      // Field-level errors for forms: zod issues flattened per field, or an
      // AppError's own fieldErrors.
      const cause = error.cause;
      const fieldErrors =
        cause instanceof z.ZodError
          ? fieldErrorsByPath(cause)
          : isAppError(cause)
            ? cause.fieldErrors
            : undefined;
      return {
        ...shape,
        data: { ...shape.data, fieldErrors: fieldErrors ?? null, stack: undefined },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  const named = result.ok ? undefined : toTrpcError(result.error.cause);
  if (named) throw named;
  return result;
});

export const publicProcedure = t.procedure.use(mapAppErrors).meta({ tier: "public" });

export const signedInProcedure = t.procedure
  .use(mapAppErrors)
  .meta({ tier: "signed-in" })
  .use(({ ctx, next }) => {
    if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
    return next({ ctx: { ...ctx, actor: ctx.actor } });
  });

/**
 * The permission tier: the actor must hold a role the table allows for
 * `action`. Procedures whose permission depends on a scope (a course, an
 * institution) check again inside core with that scope.
 */
export function requirePermission(action: Action) {
  return signedInProcedure.meta({ tier: "permission", permission: action }).use(({ ctx, next }) => {
    if (!can(ctx.actor, action))
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `You do not have permission to ${action}`,
      });
    return next();
  });
}
