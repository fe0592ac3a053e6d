import type { DatabaseClient } from "@hubfed/db";
import type { InteractCache } from "./interact-cache";
import { resolveInteractRequest } from "./resolve-interact";

/**
 * The decision behind the interact click path served beside Next (its HTTP adapter is
 * apps/portal/src/server/interact-fast-path.ts), for the one case that must be fast at lecture
 * start: a signed-in student clicking /i/<code> and being redirected to their hub. It decides
 * only that case and hands every other request — and every other outcome: sign in, join, hub
 * status, refusal — to Next's route handler, which resolves the same request through the same
 * function and renders the pages. Going through Next's router and request objects costs more
 * than the whole decision (docs/benchmarks.md).
 */

const codePathPattern = /^\/i\/([a-z0-9]{4,32})\/?(?:\?.*)?$/;

/** The content-link code of a `GET /i/<code>` request; undefined for every other request. */
export function interactFastPathCodeOf(
  method: string | undefined,
  url: string | undefined,
): string | undefined {
  if (method !== "GET") return undefined;
  return codePathPattern.exec(url ?? "")?.[1];
}

/** Straight to the hub, and which click to count. */
export interface InteractFastPathRedirect {
  kind: "redirect";
  location: string;
  linkId: string | null;
  enrollmentId: string;
}

/** The portal's pages answer instead. */
export interface InteractFastPathFallThrough {
  kind: "fall-through";
}

export async function decideInteractFastPath(
  db: DatabaseClient,
  { code, userId }: { code: string; userId: string | null },
  { cache }: { cache: InteractCache },
): Promise<InteractFastPathRedirect | InteractFastPathFallThrough> {
  // A visitor is asked to sign in: a page, so not this path's business.
  if (!userId) return { kind: "fall-through" };
  const outcome = await resolveInteractRequest(db, { form: "code", code, userId }, { cache });
  return outcome.kind === "redirect" ? outcome : { kind: "fall-through" };
}
