import type { DatabaseClient, Prisma } from "@hubfed/db";
import { sealedSecretContexts, type SecretBox } from "./secret-box";

/**
 * The rotation path of the secret box: rewrites every sealed value that is in the old format or
 * under a key other than the current one, so the previous keys can then be dropped. Each row is
 * written only if it still holds the value that was read (a conditional update), so a secret
 * rotated meanwhile is never overwritten with an older one. Safe to run again: rows already under
 * the current key are left alone.
 */

export interface ResealReport {
  /** Values rewritten under the current key, per sealed column. */
  resealed: Record<string, number>;
  /** Values already under the current key. */
  current: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export async function resealSecrets(db: DatabaseClient, box: SecretBox): Promise<ResealReport> {
  const report: ResealReport = { resealed: {}, current: 0 };
  const count = (column: string, changed: boolean) => {
    if (changed) report.resealed[column] = (report.resealed[column] ?? 0) + 1;
    else report.current += 1;
  };

  for (const row of await db.hubOidcClient.findMany({
    select: { hubId: true, clientSecretEncrypted: true },
  })) {
    const sealed = row.clientSecretEncrypted;
    if (!box.needsReseal(sealed)) {
      count("HubOidcClient.clientSecretEncrypted", false);
      continue;
    }
    const context = sealedSecretContexts.hubOidcClientSecret(row.hubId);
    const { count: written } = await db.hubOidcClient.updateMany({
      where: { hubId: row.hubId, clientSecretEncrypted: sealed },
      data: { clientSecretEncrypted: box.seal(box.open(sealed, context), context) },
    });
    count("HubOidcClient.clientSecretEncrypted", written > 0);
  }

  for (const row of await db.oidcSigningKey.findMany({
    select: { kid: true, privateJwkEncrypted: true },
  })) {
    const sealed = row.privateJwkEncrypted;
    if (!box.needsReseal(sealed)) {
      count("OidcSigningKey.privateJwkEncrypted", false);
      continue;
    }
    const context = sealedSecretContexts.signingKey(row.kid);
    const { count: written } = await db.oidcSigningKey.updateMany({
      where: { kid: row.kid, privateJwkEncrypted: sealed },
      data: { privateJwkEncrypted: box.seal(box.open(sealed, context), context) },
    });
    count("OidcSigningKey.privateJwkEncrypted", written > 0);
  }

  for (const row of await db.institution.findMany({
    where: { oidcClientSecretEncrypted: { not: null } },
    select: { id: true, oidcClientSecretEncrypted: true },
  })) {
    const sealed = row.oidcClientSecretEncrypted ?? "";
    if (!box.needsReseal(sealed)) {
      count("Institution.oidcClientSecretEncrypted", false);
      continue;
    }
    const context = sealedSecretContexts.institutionOidcClientSecret(row.id);
    const { count: written } = await db.institution.updateMany({
      where: { id: row.id, oidcClientSecretEncrypted: sealed },
      data: { oidcClientSecretEncrypted: box.seal(box.open(sealed, context), context) },
    });
    count("Institution.oidcClientSecretEncrypted", written > 0);
  }

  // A runtime's state is JSON: every string field named `…Sealed` is a sealed value.
  for (const hub of await db.hub.findMany({ select: { id: true, runtimeState: true } })) {
    const state = hub.runtimeState;
    if (!isRecord(state)) continue;
    const stale = Object.entries(state).filter(
      (entry): entry is [`${string}Sealed`, string] =>
        entry[0].endsWith("Sealed") && typeof entry[1] === "string",
    );
    const changed = stale.filter(([, sealed]) => box.needsReseal(sealed));
    report.current += stale.length - changed.length;
    if (changed.length === 0) continue;
    const next: Record<string, unknown> = { ...state };
    for (const [field, sealed] of changed) {
      const context = sealedSecretContexts.hubRuntimeState(hub.id, field);
      next[field] = box.seal(box.open(sealed, context), context);
    }
    const { count: written } = await db.hub.updateMany({
      where: { id: hub.id, runtimeState: { equals: state } },
      data: { runtimeState: next as Prisma.InputJsonValue },
    });
    for (const [field] of changed) count(`Hub.runtimeState.${field}`, written > 0);
  }

  return report;
}
