import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Open redirect, as an inventory: every place the portal (and the auth and identity code it runs)
// sends a browser elsewhere is listed here with where its target comes from. A target from our
// own records or code is safe by construction; a caller-supplied one must pass sameOriginPath
// and be exercised with the shared hostile list (@hubfed/auth/hostile-return-targets) by the
// test named. A new redirect in any file fails this test until it is placed.

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** What sends a browser somewhere: Next's redirect(), Location headers, client navigation. */
const redirectPattern =
  /\bredirect\(|Response\.redirect\(|location\.(?:assign|replace)\(|location\.href\s*=|router\.(?:push|replace)\(|\blocation:\s|["']Location["']|writeHead\(30\d/g;

type Source =
  { from: "our records"; why: string } | { from: "the caller"; check: string; testedBy: string };

/** Per file (from the repository root): how many redirects it has, and where their targets come from. */
const callSites: Record<string, { count: number; targets: Source[] }> = {
  "apps/portal/src/app/signin/page.tsx": {
    count: 1,
    targets: [
      {
        from: "the caller",
        check: "callbackUrl through safeRedirectTarget (sameOriginPath)",
        testedBy: "e2e/security/open-redirect.spec.ts",
      },
    ],
  },
  "packages/auth/src/auth-options.ts": {
    count: 1,
    targets: [
      {
        from: "the caller",
        check: "next-auth's callbackUrl through safeRedirectTarget",
        testedBy: "packages/auth/src/auth-options.test.ts and e2e/security/open-redirect.spec.ts",
      },
    ],
  },
  "apps/portal/src/components/enrollment/join-course.tsx": {
    count: 2,
    targets: [
      {
        from: "the caller",
        check: "`next`, which the join page passes only through sameOriginPath",
        testedBy: "e2e/security/open-redirect.spec.ts",
      },
      { from: "our records", why: "/join/<the typed code, normalised to the code's alphabet>" },
    ],
  },
  "apps/portal/src/server/guards.ts": {
    count: 1,
    targets: [{ from: "our records", why: "sign-in comes back to the page's own path" }],
  },
  "apps/portal/src/components/request-form/use-request-draft.ts": {
    count: 1,
    targets: [{ from: "our records", why: "/requests/<the saved request's id>" }],
  },
  "apps/portal/src/components/change-request-form.tsx": {
    count: 1,
    targets: [{ from: "our records", why: "/requests/<the saved request's id>" }],
  },
  "apps/portal/src/components/grading/assignment-form.tsx": {
    count: 1,
    targets: [{ from: "our records", why: "the saved assignment's page" }],
  },
  "apps/portal/src/components/links/join-code-form.tsx": {
    count: 1,
    targets: [{ from: "our records", why: "the interact router's own return path" }],
  },
  "apps/portal/src/app/i/[code]/status/page.tsx": {
    count: 2,
    targets: [
      { from: "our records", why: "the link's own path; sign-in back to the router's path" },
    ],
  },
  "apps/portal/src/app/interact/status/page.tsx": {
    count: 2,
    targets: [{ from: "our records", why: "the router's re-serialised request and return path" }],
  },
  "apps/portal/src/app/courses/[slug]/launch/page.tsx": {
    count: 1,
    targets: [{ from: "our records", why: "the hub's URL from the hub record" }],
  },
  "apps/portal/src/server/interact.ts": {
    count: 2,
    targets: [
      {
        from: "our records",
        why: "the interact router's decision, built from the link and hub records (core's resolveInteractRequest; e2e/links/interact-security.spec.ts)",
      },
    ],
  },
  "apps/portal/src/server/interact-fast-path.ts": {
    count: 2,
    targets: [
      { from: "our records", why: "core's decideInteractFastPath, from the link and hub records" },
    ],
  },
  "packages/identity/src/handler.ts": {
    count: 1,
    targets: [{ from: "our records", why: "/signin back to the provider's own interaction" }],
  },
};

const scanned = [
  "apps/portal/src",
  "apps/portal/server.ts",
  "packages/auth/src",
  "packages/identity/src",
];

function sourceFiles(relative: string): string[] {
  const absolute = path.join(repository, relative);
  if (/\.(ts|tsx)$/.test(relative)) return [relative];
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) return entry.name === "testing" ? [] : sourceFiles(child);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [child] : [];
  });
}

describe("open redirect: every redirect's target is accounted for", () => {
  it("lists every file that redirects, with as many redirects as it has", () => {
    const found: Record<string, number> = {};
    for (const file of scanned.flatMap(sourceFiles)) {
      const code = readFileSync(path.join(repository, file), "utf8")
        .split("\n")
        .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
        .join("\n");
      const count = code.match(redirectPattern)?.length ?? 0;
      if (count > 0) found[file] = count;
    }
    expect(found).toEqual(
      Object.fromEntries(Object.entries(callSites).map(([file, site]) => [file, site.count])),
    );
  });

  it("names a check and a test for every caller-supplied target", () => {
    for (const [file, site] of Object.entries(callSites))
      for (const target of site.targets)
        if (target.from === "the caller") {
          expect(target.check, file).toMatch(/sameOriginPath|safeRedirectTarget/);
          for (const test of target.testedBy.split(" and "))
            expect(readFileSync(path.join(repository, test), "utf8"), test).toMatch(
              /hostileReturnTargets/,
            );
        }
  });
});
