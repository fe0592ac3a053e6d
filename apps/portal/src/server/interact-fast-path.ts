// No "server-only" here: apps/portal/server.ts runs this outside Next, under tsx.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  decideInteractFastPath,
  interactCache,
  interactFastPathCodeOf,
  type ClickRecorder,
  type InteractCache,
} from "@hubfed/core";
import type { DatabaseClient } from "@hubfed/db";
import type { PortalSessionReader } from "@hubfed/identity/portal-session";

/**
 * The interact click path as plain Node HTTP, answered before Next (apps/portal/server.ts): for
 * `GET /i/<code>` it reads who is signed in (identity's portal session reader, which remembers a
 * cookie's answer) and asks core's decideInteractFastPath; a redirect is answered here and the
 * click counted, everything else goes on to Next's route handler untouched.
 */

export interface InteractFastPathOptions {
  db: DatabaseClient;
  clicks: ClickRecorder;
  readPortalSession: PortalSessionReader;
  cache?: InteractCache;
}

export function createInteractFastPath(options: InteractFastPathOptions) {
  const cache = options.cache ?? interactCache();
  return {
    /** True when the request was answered here; false hands it on untouched. */
    async handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
      const code = interactFastPathCodeOf(request.method, request.url);
      if (!code) return false;
      const session = await options.readPortalSession(request.headers.cookie);
      const decision = await decideInteractFastPath(
        options.db,
        { code, userId: session?.userId ?? null },
        { cache },
      );
      if (decision.kind !== "redirect") return false;
      options.clicks.recordClick({ linkId: decision.linkId, enrollmentId: decision.enrollmentId });
      response.writeHead(302, {
        location: decision.location,
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
        "content-length": "0",
      });
      response.end();
      return true;
    },
  };
}
