import type { DatabaseClient, Prisma } from "@hubfed/db";
import { errors, type Adapter, type AdapterPayload } from "oidc-provider";
import { findHubClientMetadata, type HubSignInPredicate } from "./hub-clients";
import type { SecretBox } from "./secret-box";

/**
 * Storage for oidc-provider (ADR 0007). Clients come from our own records — each hub's
 * HubOidcClient row (hub-clients.ts), so a rotated secret or a changed redirect URI takes effect on the next
 * request — and everything else (codes, sessions, grants, interactions, tokens) is an
 * OidcArtifact row that expires with the artifact.
 */

const hubClientModel = "Client";

function toPayload(row: { payload: Prisma.JsonValue; consumedAt: Date | null }): AdapterPayload {
  const payload = row.payload as AdapterPayload;
  // oidc-provider detects a reused authorization code by `consumed` being set.
  return row.consumedAt
    ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) }
    : payload;
}

function isLive(row: { expiresAt: Date | null } | null): row is NonNullable<typeof row> {
  return row !== null && (row.expiresAt === null || row.expiresAt > new Date());
}

/**
 * What a person is told when the hub they are signing in to is not open, and whom to ask: the
 * course's instructors by name (or "your instructor" when the course has none on record).
 */
export function hubNotSigningInDescription(status: string, contacts: readonly string[]): string {
  const whom =
    contacts.length === 0
      ? "your instructor"
      : `your instructor (${new Intl.ListFormat("en", { type: "disjunction" }).format(contacts)})`;
  const what =
    status === "SUSPENDED"
      ? "This hub is suspended: it is stopped and nobody can sign in to it. Your files are kept."
      : `This hub is not open for sign-in right now (it is ${status.toLowerCase()}).`;
  return `${what} Contact ${whom} to find out when it will be back.`;
}

export function createAdapterFactory(
  db: DatabaseClient,
  secretBox: SecretBox,
  hubSignsPeopleIn: HubSignInPredicate,
) {
  return (model: string): Adapter => {
    if (model === hubClientModel) {
      return {
        async find(id) {
          const lookup = await findHubClientMetadata(db, secretBox, id, hubSignsPeopleIn);
          if (lookup.outcome === "found") return lookup.metadata;
          // Every client lookup — authorization, token, userinfo — ends here, so a hub that
          // stops serving gets nothing more, with a reason a person can read.
          if (lookup.outcome === "not-signing-in")
            throw new errors.InvalidClient(
              hubNotSigningInDescription(lookup.hubStatus, lookup.contacts),
            );
          return undefined;
        },
        // Clients are registered by provisioning, never through the provider.
        upsert: () => Promise.reject(new Error("Hub clients are registered by provisioning")),
        findByUid: () => Promise.resolve(undefined),
        findByUserCode: () => Promise.resolve(undefined),
        consume: () => Promise.resolve(undefined),
        destroy: () => Promise.resolve(undefined),
        revokeByGrantId: () => Promise.resolve(undefined),
      };
    }
    return {
      async upsert(id, payload, expiresIn) {
        const data = {
          payload: payload as Prisma.InputJsonValue,
          grantId: payload.grantId ?? null,
          uid: payload.uid ?? null,
          userCode: payload.userCode ?? null,
          expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
        };
        await db.oidcArtifact.upsert({
          where: { model_id: { model, id } },
          create: { model, id, ...data },
          update: data,
        });
      },
      async find(id) {
        const row = await db.oidcArtifact.findUnique({ where: { model_id: { model, id } } });
        return isLive(row) ? toPayload(row) : undefined;
      },
      async findByUid(uid) {
        const row = await db.oidcArtifact.findFirst({ where: { model, uid } });
        return isLive(row) ? toPayload(row) : undefined;
      },
      async findByUserCode(userCode) {
        const row = await db.oidcArtifact.findFirst({ where: { model, userCode } });
        return isLive(row) ? toPayload(row) : undefined;
      },
      // Redeeming is one conditional UPDATE: of two token requests racing for one code, both
      // may have read it unconsumed, but only one sets consumedAt; the other is refused here,
      // before any token is issued.
      async consume(id) {
        const { count } = await db.oidcArtifact.updateMany({
          where: { model, id, consumedAt: null },
          data: { consumedAt: new Date() },
        });
        if (count === 0) throw new errors.InvalidGrant(`${model} already consumed`);
      },
      async destroy(id) {
        await db.oidcArtifact.deleteMany({ where: { model, id } });
      },
      async revokeByGrantId(grantId) {
        await db.oidcArtifact.deleteMany({ where: { grantId } });
      },
    };
  };
}
