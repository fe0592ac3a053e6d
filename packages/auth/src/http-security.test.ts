import { createServer, type IncomingHttpHeaders, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientAddress,
  clientAddressHeader,
  contentSecurityPolicy,
  secureRequest,
  securityHeaders,
} from "./http-security";

describe("client address: a forged X-Forwarded-For does not become the audit log's address", () => {
  it("believes no X-Forwarded-For when the portal faces clients (no trusted hops)", () => {
    expect(
      clientAddress({
        socketAddress: "198.51.100.7",
        forwardedFor: "10.0.0.1",
        trustedProxyHops: 0,
      }),
    ).toBe("198.51.100.7");
  });

  it("reads from the right: the client's prefix before the proxy's entry is ignored", () => {
    // The client sent "X-Forwarded-For: 10.0.0.1"; the ingress appended the address it saw.
    expect(
      clientAddress({
        socketAddress: "10.1.2.3",
        forwardedFor: "10.0.0.1, 203.0.113.9",
        trustedProxyHops: 1,
      }),
    ).toBe("203.0.113.9");
    // Two proxies: a load balancer then the ingress; the forged entries stay to the left.
    expect(
      clientAddress({
        socketAddress: "10.1.2.3",
        forwardedFor: ["1.1.1.1, 2.2.2.2", "203.0.113.9, 10.9.9.9"],
        trustedProxyHops: 2,
      }),
    ).toBe("203.0.113.9");
  });

  it("falls back to the socket when the request skipped a proxy or the entry is not an address", () => {
    for (const forwardedFor of [undefined, "", "not-an-address", " , "])
      expect(
        clientAddress({ socketAddress: "::ffff:192.0.2.4", forwardedFor, trustedProxyHops: 2 }),
      ).toBe("192.0.2.4");
  });

  it("replaces the address header a client sends with the one it worked out", async () => {
    const seen = await withServer(
      (request, response) => {
        secureRequest(request, response, { portalUrl: "http://portal.test", trustedProxyHops: 0 });
        response.end(JSON.stringify(request.headers));
      },
      async (base) =>
        (await fetch(`${base}/api/trpc/x`, {
          headers: { [clientAddressHeader]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" },
        }).then((response) => response.json())) as IncomingHttpHeaders,
    );
    expect(seen[clientAddressHeader]).toBe("127.0.0.1");
  });
});

describe("anti-framing: every portal response forbids framing", () => {
  const portalUrl = "https://portal.example.org";
  // The kinds of response server.ts sends: the fast path's redirect (writeHead with its own
  // headers), a page or the OIDC provider's HTML (setHeader, then a body), a file, and the
  // 500 the server writes when a handler fails. Each stands behind secureRequest as in server.ts.
  const answers: Record<string, RequestListener> = {
    "/i/abc123": (_request, response) => {
      response.writeHead(302, { Location: "https://hub.example.org/hub/user-redirect/git-pull" });
      response.end();
    },
    "/oidc/auth": (_request, response) => {
      response.setHeader("Content-Type", "text/html; charset=utf-8");
      response.end("<!doctype html><h1>Sign in</h1>");
    },
    "/courses/data-101": (request, response) => {
      response.statusCode = 200;
      response.setHeader("Content-Type", "text/html");
      // Next renders its scripts with the nonce it finds in the request's policy.
      const policy = String(request.headers["content-security-policy"] ?? "");
      const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
      response.end(`<script nonce="${nonce}"></script>`);
    },
    "/_next/static/chunk.js": (_request, response) => {
      response.setHeader("Content-Type", "application/javascript");
      response.end("1");
    },
    "/fails": (_request, response) => {
      response.statusCode = 500;
      response.end("Internal server error");
    },
  };
  let base = "";
  let close: () => Promise<void> = () => Promise.resolve();

  beforeAll(async () => {
    const server = createServer((request, response) => {
      secureRequest(request, response, { portalUrl, trustedProxyHops: 1 });
      const answer = answers[request.url ?? ""];
      if (answer) void answer(request, response);
      else {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it.each([...Object.keys(answers), "/nowhere"])("%s cannot be framed", async (path) => {
    const response = await fetch(`${base}${path}`, { redirect: "manual" });
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("permissions-policy")).toContain("camera=()");
    expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
  });

  it("gives each response its own script nonce, the one the page's scripts carry", async () => {
    const nonces = await Promise.all(
      [1, 2].map(async () => {
        const response = await fetch(`${base}/courses/data-101`);
        const policyNonce = /'nonce-([^']+)'/.exec(
          response.headers.get("content-security-policy") ?? "",
        )?.[1];
        expect(await response.text()).toBe(`<script nonce="${policyNonce}"></script>`);
        return policyNonce;
      }),
    );
    expect(nonces[0]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("a client's own policy header cannot choose the nonce Next uses", async () => {
    const response = await fetch(`${base}/courses/data-101`, {
      headers: { "content-security-policy": "script-src 'nonce-chosen-by-attacker'" },
    });
    expect(await response.text()).not.toContain("chosen-by-attacker");
  });
});

describe("the portal's content security policy", () => {
  it("allows no inline script without the nonce and no eval", () => {
    const policy = contentSecurityPolicy({ scriptNonce: "abc" });
    const scripts = policy.split("; ").find((directive) => directive.startsWith("script-src "));
    expect(scripts).toBe("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("form-action 'self'");
    expect(policy).toContain("base-uri 'self'");
    expect(policy).toContain("img-src 'self' data:");
  });

  it("sends Strict-Transport-Security only over https", () => {
    expect(
      securityHeaders({ portalUrl: "http://127.0.0.1:3000", scriptNonce: "n" }),
    ).not.toHaveProperty("Strict-Transport-Security");
  });
});

async function withServer<T>(
  listener: RequestListener,
  use: (base: string) => Promise<T>,
): Promise<T> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
