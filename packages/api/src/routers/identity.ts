import { z } from "zod";
import {
  AppError,
  configureInstitutionSignIn,
  describeIdentitySettings,
  institutionSignInSchema,
  rotateHubClientSecret,
} from "@hubfed/core";
import { listSigningKeys, rotateSigningKey } from "@hubfed/identity/keys";
import { hubStatusSchema } from "../shapes";
import { requirePermission, router } from "../trpc";

/** Sign-in settings, the portal's signing keys and hubs' client secrets (operators only). */
export const identityRouter = router({
  settings: requirePermission("identity.manage")
    .output(
      z.object({
        institutions: z.array(
          z.object({
            slug: z.string(),
            name: z.string(),
            emailDomains: z.array(z.string()),
            oidcIssuer: z.string().nullable(),
            oidcClientId: z.string().nullable(),
            hasClientSecret: z.boolean(),
          }),
        ),
        hubClients: z.array(
          z.object({
            clientId: z.string(),
            hubSlug: z.string(),
            hubStatus: hubStatusSchema,
            redirectUris: z.array(z.string()),
            rotatedAt: z.date(),
          }),
        ),
        signingKeys: z.array(
          z.object({
            kid: z.string(),
            algorithm: z.string(),
            createdAt: z.date(),
            retiredAt: z.date().nullable(),
            state: z.enum(["signing", "published", "expired"]),
          }),
        ),
      }),
    )
    .query(async ({ ctx }) => ({
      ...(await describeIdentitySettings(ctx.db, ctx.actor)),
      signingKeys: await listSigningKeys(ctx.db),
    })),

  configureInstitution: requirePermission("identity.manage")
    .input(institutionSignInSchema)
    .output(z.object({ isSaved: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await configureInstitutionSignIn(ctx.db, ctx.secretBox, ctx.actor, input);
      return { isSaved: true };
    }),

  rotateHubSecret: requirePermission("identity.manage")
    .input(z.object({ hubSlug: z.string().min(1).max(80) }))
    .output(z.object({ rotatedAt: z.date() }))
    .mutation(({ ctx, input }) =>
      rotateHubClientSecret(ctx.db, ctx.secretBox, ctx.actor, ctx.queues, input.hubSlug),
    ),

  rotateSigningKey: requirePermission("identity.manage")
    .output(z.object({ kid: z.string() }))
    .mutation(async ({ ctx }) => {
      const rotation = await rotateSigningKey(ctx.db, ctx.secretBox, {
        actorId: ctx.actor.userId,
      });
      if (rotation.outcome === "no-signing-key")
        throw new AppError(
          "CONFLICT",
          "The portal has no signing key yet: it creates one at start",
        );
      return { kid: rotation.kid };
    }),
});
