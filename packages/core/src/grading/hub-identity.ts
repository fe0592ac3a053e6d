import { hubBaseUrl } from "../links/nbgitpuller";

/**
 * Who a request from inside a hub comes from. A student's server and its
 * kernels hold JUPYTERHUB_API_TOKEN, a token the hub issued for that user;
 * asking the hub's own API whom it belongs to is how check()/submit() and
 * the assignment fetch authenticate without a second login or a token to
 * copy. The answer is the JupyterHub user name, which is User.username.
 */
export type HubUserIdentifier = (hubUrl: string, token: string) => Promise<string | null>;

export function createHubUserIdentifier({ timeoutMs = 5_000 } = {}): HubUserIdentifier {
  return async (hubUrl, token) => {
    const base = hubBaseUrl(hubUrl);
    // A token is opaque to us; anything but a plain header-safe string is not one.
    if (!base || !/^[A-Za-z0-9._~+/=-]{8,200}$/.test(token)) return null;
    const response = await fetch(`${base}/hub/api/user`, {
      headers: { Authorization: `token ${token}`, Accept: "application/json" },
      redirect: "error",
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 401 || response.status === 403) return null;
    if (!response.ok) throw new Error(`The hub answered ${response.status} to /hub/api/user`);
    const body = (await response.json()) as { kind?: unknown; name?: unknown };
    // Only users submit: a service's token (kind "service") names no student.
    if (body.kind !== undefined && body.kind !== "user") return null;
    return typeof body.name === "string" ? body.name : null;
  };
}
