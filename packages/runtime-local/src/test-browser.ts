import { sleep } from "./processes";

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * Just enough of a browser for sign-in flows across the hub and the portal: cookies per origin
 * with their paths, redirects followed by hand (every hop is recorded), and waiting on the hub's
 * spawn-pending page the way its script does.
 */
export class HttpBrowser {
  /** origin → cookie name + path → cookie */
  readonly #jar = new Map<string, Map<string, StoredCookie & { name: string }>>();
  /** Every URL requested, in order. */
  readonly visited: string[] = [];

  async request(
    target: string,
    init: {
      method?: string;
      body?: URLSearchParams | string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const url = new URL(target);
    this.visited.push(url.toString());
    const headers = new Headers(init.headers);
    const cookies = this.#cookiesFor(url);
    if (cookies) headers.set("Cookie", cookies);
    const response = await fetch(url, {
      method: init.method ?? "GET",
      body: init.body,
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(60_000),
    });
    this.#store(url, response.headers.getSetCookie());
    return response;
  }

  /**
   * Follows redirects, and the spawn-pending page, until a page answers. `onPage` may answer a
   * page with the next request (e.g. submit the portal's sign-in form); otherwise it ends there.
   */
  async follow(
    response: Response,
    {
      timeoutMs = 60_000,
      onPage,
      stopBefore,
    }: {
      timeoutMs?: number;
      onPage?: (page: Response) => Promise<Response | undefined>;
      /** Returns the redirect itself instead of following it to a matching URL. */
      stopBefore?: (url: URL) => boolean;
    } = {},
  ): Promise<Response> {
    const deadline = Date.now() + timeoutMs;
    let current = response;
    while (Date.now() < deadline) {
      const location = current.headers.get("location");
      if (current.status >= 300 && current.status < 400 && location) {
        if (stopBefore?.(new URL(location, current.url))) return current;
        await current.body?.cancel();
        current = await this.request(new URL(location, current.url).toString());
      } else if (
        current.status === 200 &&
        new URL(current.url).pathname.startsWith("/hub/spawn-pending/")
      ) {
        await current.body?.cancel();
        await sleep(500);
        current = await this.request(current.url);
      } else {
        const next = onPage ? await onPage(current) : undefined;
        if (!next) return current;
        current = next;
      }
    }
    throw new Error(`Still redirecting after ${timeoutMs} ms at ${current.url}`);
  }

  /** Puts a cookie in the jar as if `origin` had set it (e.g. a session signed in elsewhere). */
  setCookie(origin: string, name: string, value: string, path = "/"): void {
    const key = new URL(origin).origin;
    const jar = this.#jar.get(key) ?? new Map<string, StoredCookie & { name: string }>();
    this.#jar.set(key, jar);
    jar.set(`${name};${path}`, { name, value, path });
  }

  hasCookie(origin: string, name: string): boolean {
    return [...(this.#jar.get(new URL(origin).origin)?.values() ?? [])].some(
      (cookie) => cookie.name === name,
    );
  }

  /** The Cookie header this browser sends to `url` (for a websocket opened beside it). */
  cookieHeaderFor(url: string): string {
    return this.#cookiesFor(new URL(url));
  }

  /** The value of a cookie `origin` set, whatever its path. */
  cookieValue(origin: string, name: string): string | undefined {
    return [...(this.#jar.get(new URL(origin).origin)?.values() ?? [])].find(
      (cookie) => cookie.name === name,
    )?.value;
  }

  #cookiesFor(url: URL): string {
    const cookies = [...(this.#jar.get(url.origin)?.values() ?? [])].filter((cookie) =>
      pathMatches(url.pathname, cookie.path),
    );
    // Longer paths first, as browsers send them (RFC 6265 §5.4).
    cookies.sort((a, b) => b.path.length - a.path.length);
    return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
  }

  #store(url: URL, headers: string[]) {
    const jar = this.#jar.get(url.origin) ?? new Map<string, StoredCookie & { name: string }>();
    this.#jar.set(url.origin, jar);
    for (const header of headers) {
      const [pair = "", ...attributeList] = header.split(";");
      const separator = pair.indexOf("=");
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const attributes = new Map(
        attributeList.map((attribute) => {
          const [key = "", ...rest] = attribute.split("=");
          return [key.trim().toLowerCase(), rest.join("=").trim()];
        }),
      );
      const path = attributes.get("path") || defaultPath(url.pathname);
      const expires = attributes.get("expires");
      const maxAge = attributes.get("max-age");
      const isExpired =
        (maxAge !== undefined && Number(maxAge) <= 0) ||
        (expires !== undefined && Date.parse(expires) <= Date.now());
      const key = `${name};${path}`;
      if (isExpired || value === "" || value === '""') jar.delete(key);
      else jar.set(key, { name, value, path });
    }
  }
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

function defaultPath(requestPath: string): string {
  const lastSlash = requestPath.lastIndexOf("/");
  return lastSlash <= 0 ? "/" : requestPath.slice(0, lastSlash);
}
