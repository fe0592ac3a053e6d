import { randomFillSync } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";

/**
 * What every portal response says about itself, and who sent the request: the one definition of
 * the portal's security headers and of the client's address. apps/portal/server.ts applies both
 * to every request before anything answers it (the /i/<code> fast path, the OIDC provider at
 * /oidc, Next's pages, APIs and files alike), so no response can be framed by another site and
 * no audit record takes an address the client typed itself.
 */

export interface SecurityHeaderSettings {
  /** The portal's public URL; https turns on Strict-Transport-Security. */
  portalUrl: string;
  /**
   * This response's script nonce. Next reads it back from the request's Content-Security-Policy
   * header and puts it on every script it renders (the root layout is dynamic, so every page is
   * rendered per request and can carry it).
   */
  scriptNonce: string;
}

/** A fresh nonce for one response's scripts: 128 random bits, base64. */
// Nonces are cut from a pooled buffer refilled 256 at a time: one randomBytes(16) per request was
// 7 % of the interact redirect's CPU (issue 21). The bytes are the same CSPRNG's, each used once.
const noncePool = Buffer.alloc(16 * 256);
let nonceOffset = noncePool.length;

export function newScriptNonce(): string {
  if (nonceOffset >= noncePool.length) {
    randomFillSync(noncePool);
    nonceOffset = 0;
  }
  nonceOffset += 16;
  return noncePool.toString("base64", nonceOffset - 16, nonceOffset);
}
/**
 * The portal's Content-Security-Policy.
 *
 * - Scripts: only those carrying this response's nonce, and what they load ('strict-dynamic':
 *   Next's bootstrap loads its chunks). No 'unsafe-inline', no 'unsafe-eval' (the portal always
 *   runs Next's production server; server.ts never starts the development one). 'self' is for
 *   browsers without 'strict-dynamic'.
 * - Styles: 'self' plus 'unsafe-inline'. React renders `style="…"` attributes (charts, progress
 *   bars) into the HTML, and a nonce cannot cover an attribute; a style cannot run script.
 * - Images: 'self' and data: URIs (QR codes are inline SVG, which needs nothing).
 * - Forms post only to the portal: next-auth's sign-in is a post to /api/auth on our origin; the
 *   OAuth hop to GitHub, Google or an institution is a script navigation, not a form action.
 * - Nobody frames the portal (frame-ancestors), no plugins, no <base> elsewhere.
 */
export function contentSecurityPolicy({
  scriptNonce,
}: Pick<SecurityHeaderSettings, "scriptNonce">) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${scriptNonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Every header every portal response carries, with this response's nonce in its policy. */
export function securityHeaders(settings: SecurityHeaderSettings): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(settings),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy":
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  // Not includeSubDomains: course hubs may live under the portal's name, and their TLS is theirs.
  if (new URL(settings.portalUrl).protocol === "https:")
    headers["Strict-Transport-Security"] = "max-age=31536000";
  return headers;
}

/**
 * The header server.ts sets to the client's address for the pages and APIs behind it. Whatever a
 * client sends under this name is replaced before Next sees the request.
 */
export const clientAddressHeader = "x-hubfed-client-address";

export interface ClientAddressInput {
  /** The TCP peer: the client itself, or the nearest proxy. */
  socketAddress: string | undefined;
  /** Every X-Forwarded-For header of the request (Node joins repeats with ", "). */
  forwardedFor: string | string[] | undefined;
  /**
   * How many proxies in front of the portal append to X-Forwarded-For (the ingress, a load
   * balancer). 0: the portal faces clients, and X-Forwarded-For is the client's own words.
   */
  trustedProxyHops: number;
}

/**
 * Who sent a request, for the audit log and rate limits. X-Forwarded-For is read from the right:
 * each trusted proxy appends the address it was reached from, so the entry `trustedProxyHops`
 * from the end was written by our outermost proxy; everything left of it is whatever the client
 * sent and is never believed. With fewer entries than hops the request did not come through all
 * the proxies, and the socket's address is all that is known.
 */
export function clientAddress({
  socketAddress,
  forwardedFor,
  trustedProxyHops,
}: ClientAddressInput): string | undefined {
  const socket = socketAddress ? withoutMappedPrefix(socketAddress) : undefined;
  if (trustedProxyHops <= 0) return socket;
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const entry = entries[entries.length - trustedProxyHops];
  if (entry === undefined) return socket;
  const address = withoutMappedPrefix(entry);
  return isIP(address) ? address : socket;
}

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) as "10.0.0.1". */
function withoutMappedPrefix(address: string): string {
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

const fixedSecurityHeaders = new Map<string, Array<[string, string]>>();

function fixedSecurityHeadersOf(portalUrl: string): Array<[string, string]> {
  let fixed = fixedSecurityHeaders.get(portalUrl);
  if (!fixed) {
    fixed = Object.entries(securityHeaders({ portalUrl, scriptNonce: "" })).filter(
      ([name]) => name !== "Content-Security-Policy",
    );
    fixedSecurityHeaders.set(portalUrl, fixed);
  }
  return fixed;
}

export interface PortalRequestSecurity {
  portalUrl: string;
  trustedProxyHops: number;
}

/**
 * Prepares one request before anything answers it: the response gets every security header
 * (whoever writes the body later), and the request carries, for Next, this response's policy
 * (Next takes the script nonce from it) and the client's address. Both request headers replace
 * whatever the client sent under those names.
 */
export function secureRequest(
  request: IncomingMessage,
  response: ServerResponse,
  settings: PortalRequestSecurity,
): void {
  const policy = contentSecurityPolicy({ scriptNonce: newScriptNonce() });
  response.setHeader("Content-Security-Policy", policy);
  // Everything but the policy is the same for every response of this portal: worked out once.
  for (const [name, value] of fixedSecurityHeadersOf(settings.portalUrl))
    response.setHeader(name, value);
  request.headers["content-security-policy"] = policy;
  delete request.headers["content-security-policy-report-only"];
  const address = clientAddress({
    socketAddress: request.socket.remoteAddress,
    forwardedFor: request.headers["x-forwarded-for"],
    trustedProxyHops: settings.trustedProxyHops,
  });
  if (address) request.headers[clientAddressHeader] = address;
  else delete request.headers[clientAddressHeader];
}
