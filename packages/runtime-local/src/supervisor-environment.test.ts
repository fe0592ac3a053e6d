import { describe, expect, it } from "vitest";
import { localHubMarkerVariable } from "./config";
import { buildLocalHubEnvironment, isAllowedInLocalHubEnvironment } from "./supervisor";

describe("buildLocalHubEnvironment", () => {
  const worker = {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    HOME: "/root",
    DATABASE_URL: "postgresql://hubfed:secret@127.0.0.1/hubfed",
    HUBFED_SECRET_KEY: "c2VjcmV0",
    NEXTAUTH_SECRET: "next-secret",
    GITHUB_APP_PRIVATE_KEY: "-----BEGIN",
    SMTP_URL: "smtp://user:password@mail",
    REDIS_URL: "redis://127.0.0.1:6379",
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "url.http://127.0.0.1:9000/.insteadOf",
    GIT_CONFIG_VALUE_0: "https://github.com/",
    GIT_CONFIG_GLOBAL: "/root/.gitconfig-with-token",
  };

  it("keeps only the allow-listed variables, the site's git settings and the hub's marker", () => {
    const environment = buildLocalHubEnvironment({ dataDirectory: "/srv/hubs/a" }, worker);
    expect(Object.keys(environment).sort()).toEqual(
      [
        "GIT_CONFIG_COUNT",
        "GIT_CONFIG_KEY_0",
        "GIT_CONFIG_VALUE_0",
        "HOME",
        "LANG",
        "LC_ALL",
        "PATH",
        localHubMarkerVariable,
        ...(environment.NODE_PATH === undefined ? [] : ["NODE_PATH"]),
      ].sort(),
    );
    expect(environment[localHubMarkerVariable]).toBe("/srv/hubs/a");
    for (const secret of ["DATABASE_URL", "HUBFED_SECRET_KEY", "NEXTAUTH_SECRET", "SMTP_URL"])
      expect(environment).not.toHaveProperty(secret);
  });

  it("refuses names that only look like allowed ones", () => {
    expect(isAllowedInLocalHubEnvironment("PATH")).toBe(true);
    expect(isAllowedInLocalHubEnvironment("GIT_CONFIG_KEY_12")).toBe(true);
    expect(isAllowedInLocalHubEnvironment("GIT_CONFIG_GLOBAL")).toBe(false);
    expect(isAllowedInLocalHubEnvironment("PATHS")).toBe(false);
    expect(isAllowedInLocalHubEnvironment("LD_PRELOAD")).toBe(false);
    expect(isAllowedInLocalHubEnvironment("PYTHONPATH")).toBe(false);
  });
});
