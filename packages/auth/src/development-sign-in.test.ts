import { describe, expect, it } from "vitest";
import {
  developmentSignInEmail,
  developmentSignInSetting,
  parseDevelopmentSignInAccounts,
} from "./development-sign-in";

// The hardening issue, item 5: the development sign-in was refused only when NODE_ENV=production,
// which the documented production command does not set. It now needs both switches, exactly.

describe("development sign-in fails closed", () => {
  it.each([
    [{}],
    [{ HUBFED_DEV_SIGN_IN: "enabled" }],
    [{ HUBFED_DEV_SIGN_IN: "enabled", HUBFED_DEMO: "0" }],
    [{ HUBFED_DEV_SIGN_IN: "enabled", HUBFED_DEMO: "true" }],
    [{ HUBFED_DEV_SIGN_IN: "enabled", HUBFED_DEMO: "" }],
    [{ HUBFED_DEV_SIGN_IN: "Enabled", HUBFED_DEMO: "1" }],
    [{ HUBFED_DEV_SIGN_IN: "true", HUBFED_DEMO: "1" }],
    [{ HUBFED_DEV_SIGN_IN: "1", HUBFED_DEMO: "1" }],
    [{ HUBFED_DEV_SIGN_IN: "disabled", HUBFED_DEMO: "1" }],
    [{ HUBFED_DEMO: "1" }],
  ])("is off for %j", (environment) => {
    const setting = developmentSignInSetting(environment);
    expect(setting.enabled).toBe(false);
    expect(setting.reason).not.toBe("");
  });

  it("is off under the documented production command, whatever NODE_ENV says", () => {
    // The production command sets HUBFED_DEV_SIGN_IN by mistake but never HUBFED_DEMO.
    for (const NODE_ENV of [undefined, "development", "test", "production"])
      expect(
        developmentSignInSetting({ HUBFED_DEV_SIGN_IN: "enabled", NODE_ENV } as never),
      ).toMatchObject({
        enabled: false,
      });
  });

  it("is on only with HUBFED_DEV_SIGN_IN=enabled and HUBFED_DEMO=1, saying so", () => {
    const setting = developmentSignInSetting({ HUBFED_DEV_SIGN_IN: "enabled", HUBFED_DEMO: "1" });
    expect(setting).toMatchObject({ enabled: true });
    expect(setting.reason).toMatch(/development sign-in is ON/);
  });

  it("accepts only a listed account, compared after normalising", () => {
    const accounts = ["ops@hubfed.example", "student@westvalley.edu"];
    expect(developmentSignInEmail("  Student@WestValley.edu ", accounts)).toBe(
      "student@westvalley.edu",
    );
    expect(developmentSignInEmail("someone@westvalley.edu", accounts)).toBeNull();
    expect(developmentSignInEmail("student@westvalley.edu.evil.example", accounts)).toBeNull();
    expect(developmentSignInEmail("", accounts)).toBeNull();
    expect(developmentSignInEmail(undefined, accounts)).toBeNull();
    expect(developmentSignInEmail("ops@hubfed.example", [])).toBeNull();
  });

  it("reads a test run's extra accounts from a comma-separated list", () => {
    expect(parseDevelopmentSignInAccounts(" A@x.edu, ,b@y.edu,")).toEqual(["a@x.edu", "b@y.edu"]);
    expect(parseDevelopmentSignInAccounts(undefined)).toEqual([]);
  });
});
