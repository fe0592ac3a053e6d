import type { IncomingMessage, ServerResponse } from "node:http";
import type { DatabaseClient } from "@hubfed/db";
import type { ClickRecorder } from "./clicks";
import { interactCache, resolveInteractRequest, type InteractCache } from "./resolve";

/**
 * The interact click path served beside Next (apps/portal/server.ts), for
 * the one case that must be fast at lecture start: a signed-in student
 * clicking /i/<code> and being redirected to their hub. It answers only that
 * case and hands every other request — and every other outcome: sign in,
 * join, hub status, refusal — to Next's route handler, which resolves the
 * same request through the same function and renders the pages. Going
 * through Next's router and request objects costs more than the whole
 * decision (docs/benchmarks.md).
 */

export interface InteractFastPathOptions {
  db: DatabaseClient;
  clicks: ClickRecorder;
  /** The signed-in user of a request (the next-auth JWT cookie), or null. */
  readUserId: (request: IncomingMessage) => Promise<string | null>;
  cache?: InteractCache;
  /** How long a session cookie's user is remembered (the JWT is decrypted once per cookie). */
  sessionCacheMs?: number;
}

const codePathPattern = /^\/i\/([a-z0-9]{4,32})\/?(?:\?.*)?$/;
const sessionCookiePattern = /^(__Secure-)?next-auth\.session-token(\.\d+)?=/;

function sessionCookieOf(request: IncomingMessage): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  const parts = header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => sessionCookiePattern.test(part));
  return parts.length > 0 ? parts.sort().join(";") : undefined;
}

export function createInteractFastPath(options: InteractFastPathOptions) {
  const cache = options.cache ?? interactCache();
  const sessionCacheMs = options.sessionCacheMs ?? 30_000;
  const sessions = new Map<string, { userId: string | null; until: number }>();

  async function userIdOf(request: IncomingMessage): Promise<string | null> {
    const cookie = sessionCookieOf(request);
    if (!cookie) return null;
    const now = Date.now();
    const known = sessions.get(cookie);
    if (known && known.until > now) return known.userId;
    const userId = await options.readUserId(request);
    if (sessions.size >= 100_000) sessions.clear();
    sessions.set(cookie, { userId, until: now + sessionCacheMs });
    return userId;
  }

  return {
    /** True when the request was answered here; false hands it on untouched. */
    async handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
      if (request.method !== "GET") return false;
      const match = codePathPattern.exec(request.url ?? "");
      if (!match?.[1]) return false;
      const userId = await userIdOf(request);
      if (!userId) return false;
      const outcome = await resolveInteractRequest(
        options.db,
        { form: "code", code: match[1], userId },
        { cache },
      );
      if (outcome.kind !== "redirect") return false;
      options.clicks.recordClick({ linkId: outcome.linkId, enrollmentId: outcome.enrollmentId });
      response.writeHead(302, {
        location: outcome.location,
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
        "content-length": "0",
      });
      response.end();
      return true;
    },
  };
}
