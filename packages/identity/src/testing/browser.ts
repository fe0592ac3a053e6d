import { portalSessionCookie } from "./portal-session-cookie";

/**
 * A cookie-keeping, redirect-by-hand HTTP client: enough of a browser to walk an OpenID Connect
 * flow over real HTTP and look at every hop.
 */
export class CookieBrowser {
  readonly cookies = new Map<string, string>();

  async get(url: string): Promise<Response> {
    const response = await fetch(url, {
      redirect: "manual",
      headers: { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ") },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";");
      const separator = pair.indexOf("=");
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) =>
        /^\s*expires=thu, 01 jan 1970/i.test(attribute),
      );
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects until one leaves `origin` or a page answers; returns every hop. */
  async follow(
    url: string,
    origin: string,
    maxHops = 10,
  ): Promise<{ hops: string[]; last: Response }> {
    const hops = [url];
    let response = await this.get(url);
    for (let hop = 0; hop < maxHops; hop += 1) {
      const location = response.headers.get("location");
      if (!location || response.status < 300 || response.status >= 400) break;
      const next = new URL(location, hops.at(-1)).toString();
      hops.push(next);
      if (new URL(next).origin !== origin) break;
      response = await this.get(next);
    }
    return { hops, last: response };
  }

  /** Signs in to the portal the way next-auth does: a JWT session cookie. */
  async signInToPortal(userId: string, secret: string) {
    const cookie = await portalSessionCookie(userId, secret);
    this.cookies.set(cookie.name, cookie.value);
  }

  signOutOfPortal() {
    this.cookies.delete("next-auth.session-token");
  }
}
