import type { DatabaseClient } from "@hubfed/db";
import { failureMessageOf } from "../errors";
import {
  loadHubWithPlacement,
  runtimeContextFor,
  type HubApiAccess,
  type RuntimeResolver,
} from "./runtime";

// The hub-access queue's work (enrollment/hub-access.ts records it): one hub removes one person.
// JupyterHub's `DELETE /hub/api/users/{name}` — the same in Debian's JupyterHub 3.0 on the local
// runtime and in the Zero to JupyterHub image — stops the person's server and deletes them with
// every token they held (API tokens, the server's own, the browser's hub cookie stops naming
// anyone) and with their admin flag. Homes stay: a local hub's directory is kept, a Kubernetes
// hub is configured with `KubeSpawner.delete_pvc: false`. If the person signs in again (a TA
// made a student), the hub makes them afresh from the portal's current roles.

/** Removes `username` from the hub behind `access`; "absent" when the hub never knew them. */
export async function removeHubUser(
  access: HubApiAccess,
  username: string,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<"removed" | "absent"> {
  const url = `${access.apiUrl}/users/${encodeURIComponent(username)}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "DELETE",
      headers: { Authorization: `token ${access.token}`, Accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Error(`DELETE ${url}: ${describeFetchError(error)}`);
  }
  if (response.status === 204 || response.status === 200) {
    await response.body?.cancel();
    return "removed";
  }
  const body = await response.text();
  // JupyterHub answers an unknown user with its JSON 404; anything else saying 404 (an ingress
  // with no such host, a wrong path) has not confirmed that the person is gone.
  if (response.status === 404 && isJupyterHubError(body)) return "absent";
  // 400: "server is in the process of stopping, please wait" — the retry comes back for it.
  throw new Error(`DELETE ${url}: HTTP ${response.status} ${body.slice(0, 300)}`);
}

function isJupyterHubError(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { status?: unknown };
    return typeof parsed.status === "number";
  } catch {
    return false;
  }
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

export type HubAccessRevocationOutcome =
  | { outcome: "removed" | "absent"; hubSlug: string }
  /** Already confirmed by an earlier delivery of the job. */
  | { outcome: "already-done" }
  /** The hub is archived: it keeps nobody. */
  | { outcome: "hub-gone" }
  | { outcome: "unknown-revocation" };

/**
 * Runs one revocation: asks the hub's runtime how to reach its REST API and removes the person.
 * A failure is recorded on the row (attempts, the reason for operators) and rethrown so the queue
 * tries again with backoff; the last try leaves the row FAILED, which staff see with a Retry.
 */
export async function revokeHubAccess(
  db: DatabaseClient,
  {
    revocationId,
    runtimeFor,
    isLastAttempt,
  }: { revocationId: string; runtimeFor: RuntimeResolver; isLastAttempt: boolean },
): Promise<HubAccessRevocationOutcome> {
  const revocation = await db.hubAccessRevocation.findUnique({ where: { id: revocationId } });
  if (!revocation) return { outcome: "unknown-revocation" };
  if (revocation.status === "DONE") return { outcome: "already-done" };
  const hub = await loadHubWithPlacement(db, revocation.hubId);
  if (!hub || hub.status === "ARCHIVED") {
    await db.hubAccessRevocation.update({
      where: { id: revocationId },
      data: { status: "DONE", completedAt: new Date(), lastError: null },
    });
    return { outcome: "hub-gone" };
  }
  try {
    const access = await runtimeFor(hub.cluster).hubApiAccess(runtimeContextFor(db, hub));
    const result = await removeHubUser(access, revocation.username);
    await db.hubAccessRevocation.update({
      where: { id: revocationId },
      data: {
        status: "DONE",
        attempts: { increment: 1 },
        completedAt: new Date(),
        lastError: null,
      },
    });
    return { outcome: result, hubSlug: hub.slug };
  } catch (error) {
    await db.hubAccessRevocation.updateMany({
      where: { id: revocationId, status: { not: "DONE" } },
      data: {
        status: isLastAttempt ? "FAILED" : "PENDING",
        attempts: { increment: 1 },
        lastError: failureMessageOf(error),
      },
    });
    throw error;
  }
}
