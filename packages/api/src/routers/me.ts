import { z } from "zod";
import { rolesOf, roles } from "@hubfed/auth";
import { describeUser } from "@hubfed/core";
import { router, signedInProcedure } from "../trpc";

export const meRouter = router({
  get: signedInProcedure
    .input(z.void())
    .output(
      z.object({
        id: z.string(),
        name: z.string().nullable(),
        email: z.string().nullable(),
        username: z.string(),
        roles: z.array(z.enum(roles)),
        courses: z.array(
          z.object({
            slug: z.string(),
            code: z.string(),
            title: z.string(),
            term: z.string(),
            institution: z.string(),
            role: z.enum(["INSTRUCTOR", "TA", "STUDENT"]),
          }),
        ),
      }),
    )
    .query(async ({ ctx }) => ({
      ...(await describeUser(ctx.db, ctx.actor.userId)),
      roles: rolesOf(ctx.actor),
    })),
});
