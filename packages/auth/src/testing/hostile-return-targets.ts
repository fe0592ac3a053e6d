/**
 * Return targets an attacker would hand the portal (a `callbackUrl`, a `next`), for every test
 * of every place that redirects to a caller-supplied value: each must end on our own origin.
 * `{origin}` stands for the portal's own origin. Add to it when a new trick turns up; every call
 * site's test picks it up.
 */
export const hostileReturnTargets: readonly string[] = [
  "//evil.example",
  "///evil.example",
  "////evil.example/x",
  "/.//evil.example",
  "/././/evil.example/x",
  "/a/..//evil.example",
  "/a/../..//evil.example",
  "{origin}//evil.example/x",
  "{origin}/.//evil.example",
  "https://evil.example/i/abc",
  "http://evil.example",
  "{origin}.evil.example/",
  "{origin}@evil.example/",
  "https://portal@evil.example/",
  "/\\evil.example",
  "\\\\evil.example",
  "/%2F/evil.example",
  "/%2f%2fevil.example",
  "/%5Cevil.example",
  "/%2e%2e//evil.example",
  "/%252F%252Fevil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "https:evil.example",
  "https:/evil.example",
  "evil.example",
  "ftp://evil.example/",
  "/\t/evil.example",
  "/\n/evil.example",
  "/i/x\r\nLocation: https://evil.example",
  " //evil.example",
  "\u3002evil.example",
  "//evil\u3002example",
];

/** The targets for one origin. */
export function hostileReturnTargetsFor(origin: string): string[] {
  return hostileReturnTargets.map((target) => target.replaceAll("{origin}", origin));
}
