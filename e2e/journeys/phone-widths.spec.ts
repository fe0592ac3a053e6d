import { expect, test } from "@playwright/test";
import { signInAs } from "../support/sign-in";

// Every person's home and main pages at a phone's width (375 px): nothing
// pushes the page sideways (wide tables scroll inside their own box), and a
// screenshot of each, at phone and desktop widths, goes to the test output.

const pagesByPerson: Array<[string, string[]]> = [
  // DATA 101's launch page is the portal's own status page (its hub is simulated); CS 120's
  // launch goes on to the JupyterHub itself, which is not ours to lay out.
  ["student@westvalley.edu", ["/", "/courses/wvc-data-101-fa26/launch", "/notifications"]],
  [
    "prof.okafor@cascade.edu",
    [
      "/",
      "/courses/ccc-cs-120-fa26",
      "/courses/ccc-cs-120-fa26/links",
      "/courses/ccc-cs-120-fa26/roster",
      "/courses/ccc-cs-120-fa26/schedule",
      "/request",
      "/requests",
      "/ops/hubs/ccc-cs-120-fa26",
    ],
  ],
  [
    "ops@hubfed.example",
    ["/", "/ops", "/ops/credits", "/ops/hubs/ccc-cs-120-fa26", "/ops/identity", "/ops/capacity"],
  ],
  ["it-admin@westvalley.edu", ["/", "/ops/credits", "/requests"]],
];

for (const [email, paths] of pagesByPerson) {
  test(`${email}'s pages fit a phone`, async ({ browser }) => {
    test.setTimeout(120_000);
    for (const width of [375, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      await signInAs(page, email);
      for (const path of paths) {
        await page.goto(path);
        await page.waitForLoadState("networkidle");
        await page.screenshot({
          path: test
            .info()
            .outputPath(`${email.split("@")[0]}${path.replaceAll("/", "_")}-${width}.png`),
          fullPage: true,
        });
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(
          overflow,
          `${path} at ${width} px scrolls sideways by ${overflow} px`,
        ).toBeLessThanOrEqual(0);
      }
      await context.close();
    }
  });
}

test("the favicon is served", async ({ request }) => {
  const response = await request.get("/favicon.ico");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/icon/);
});
