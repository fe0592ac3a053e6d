import { courseRoleSchema, hubStatusDescriptionSchema, hubStatusSchema } from "../shapes";
import { z } from "zod";
import { rolesOf, roles } from "@hubfed/auth";
import { describeUser, listHomeTasks, listMyHubs } from "@hubfed/core";
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
            role: courseRoleSchema,
          }),
        ),
      }),
    )
    .query(async ({ ctx }) => ({
      ...(await describeUser(ctx.db, ctx.actor.userId)),
      roles: rolesOf(ctx.actor),
    })),

  /** My hubs: every course hub of the signed-in person (empty for people without enrollments). */
  hubs: signedInProcedure
    .input(z.void())
    .output(
      z.array(
        z.object({
          course: z.object({
            slug: z.string(),
            code: z.string(),
            title: z.string(),
            term: z.string(),
            institution: z.string(),
          }),
          role: courseRoleSchema,
          hub: z
            .object({
              slug: z.string(),
              status: hubStatusSchema,
              statusDescription: hubStatusDescriptionSchema,
              region: z.string(),
              lastActivityAt: z.date().nullable(),
              isLaunchable: z.boolean(),
              isSimulated: z.boolean(),
            })
            .nullable(),
          launchPath: z.string(),
          lastLaunchedAt: z.date().nullable(),
          latestLinks: z.array(
            z.object({
              code: z.string(),
              title: z.string(),
              shortPath: z.string(),
              createdAt: z.date(),
            }),
          ),
        }),
      ),
    )
    .query(({ ctx }) => listMyHubs(ctx.db, ctx.actor.userId)),

  /** The home page's tasks: ops' and institution admins' counts, the person's open requests. */
  homeTasks: signedInProcedure
    .input(z.void())
    .output(
      z.object({
        operator: z
          .object({
            requestsAwaitingReview: z.number(),
            hubsNeedingAttention: z.number(),
            capacityWindowsAwaitingReview: z.number(),
          })
          .nullable(),
        institutionAdmin: z
          .object({
            institutions: z.array(z.string()),
            openRequests: z.number(),
            liveHubs: z.number(),
          })
          .nullable(),
        myOpenRequests: z.array(
          z.object({ id: z.string(), title: z.string(), status: z.string() }),
        ),
      }),
    )
    .query(({ ctx }) => listHomeTasks(ctx.db, ctx.actor)),
});
