import type { IncomingMessage } from "node:http";
import { getToken } from "next-auth/jwt";

/** Who is signed in to the portal, as next-auth's session cookie says. */
export interface PortalSession {
  userId: string;
}

export type PortalSessionReader = (request: IncomingMessage) => Promise<PortalSession | undefined>;

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const separator = part.indexOf("=");
    if (separator <= 0) continue;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}

/**
 * Reads the portal's next-auth session (a JWT cookie) from a plain Node request, so the OIDC
 * provider — which runs beside Next, not inside it — knows who is signed in. The portal session is
 * the only sign-in there is: the provider never keeps a login of its own.
 */
export function createPortalSessionReader({
  secret,
  portalUrl,
}: {
  secret: string;
  portalUrl: string;
}): PortalSessionReader {
  const secureCookie = new URL(portalUrl).protocol === "https:";
  return async (request) => {
    const token = await getToken({
      req: { headers: request.headers, cookies: parseCookies(request.headers.cookie) } as never,
      secret,
      secureCookie,
    });
    // `userId` is set by the portal's jwt callback (packages/auth/src/auth-options.ts).
    const userId: unknown = token?.userId;
    return typeof userId === "string" && userId ? { userId } : undefined;
  };
}
