import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { hubSignInRefreshSeconds } from "@hubfed/hub-spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeLocalHubFiles } from "./config";
import { createTemporaryHubsDirectory, releaseLocalHubsUnder } from "./accounts";
import { buildTestHub } from "./testing";

const execFileAsync = promisify(execFile);

// Loads a generated file with JupyterHub's own config loader and prints what it set.
const loadConfigScript = String.raw`
import json, sys
from jupyterhub.app import JupyterHub
app = JupyterHub()
app.load_config_file(sys.argv[1])
c = app.config
print(json.dumps({
    "template_vars": c.JupyterHub.template_vars,
    "admin_users": sorted(c.Authenticator.admin_users),
    "password": c.DummyAuthenticator.password,
    "bind_url": c.JupyterHub.bind_url,
    "spawner_class": getattr(c.JupyterHub.spawner_class, "__name__", c.JupyterHub.spawner_class),
    "cmd": c.Spawner.cmd,
    "args": c.Spawner.args,
    "default_url": c.Spawner.default_url,
    "mem_limit": c.Spawner.mem_limit,
    "environment": c.Spawner.environment,
    "services": c.JupyterHub.services,
    "roles": c.JupyterHub.load_roles,
}))
`;

// Builds the configured authenticator the way JupyterHub does and prints its settings.
const loadAuthenticatorScript = String.raw`
import json, sys
from jupyterhub.app import JupyterHub
app = JupyterHub()
app.load_config_file(sys.argv[1])
authenticator = app.config.JupyterHub.authenticator_class(config=app.config)
names = ["issuer_url", "client_id", "client_secret", "callback_url", "course_slug",
         "course_name", "portal_url", "auto_login", "manage_groups", "enable_auth_state",
         "auth_refresh_age", "refresh_pre_spawn"]
from jupyterhub.crypto import CryptKeeper
keeper = CryptKeeper(config=app.config)
print(json.dumps({
    "class": type(authenticator).__name__,
    **{name: getattr(authenticator, name) for name in names},
    "auth_state_keys": [len(key) for key in keeper.keys],
    "login_url": authenticator.login_url("/hub/"),
    "handlers": [route for route, _ in authenticator.get_handlers(app)],
}))
`;

describe("a generated jupyterhub_config.py loaded by JupyterHub", () => {
  let directory: string;
  beforeAll(async () => {
    directory = await createTemporaryHubsDirectory("hubfed-config-");
  });
  afterAll(async () => {
    // Loading the configuration makes the hub's cgroup, as a starting hub does.
    await releaseLocalHubsUnder(directory);
    await rm(directory, { recursive: true, force: true });
  });

  it("gives back hostile values exactly, as data", async () => {
    const hubSlug = "x\"\nimport subprocess; subprocess.run(['id'])  # \\\u2028''' 😀";
    const admin = 'eve"]) ; import subprocess #';
    const password = 'pass"word\n\r\0{username}';
    const hub = buildTestHub({
      hubSlug,
      dataDirectory: path.join(directory, "hostile"),
      admins: [admin, "ada"],
      authentication: { kind: "dummy", password },
    });
    // With the modules the configuration imports (the capacity gate) beside it.
    await writeLocalHubFiles(hub);
    const configPath = path.join(hub.dataDirectory, "jupyterhub_config.py");

    const { stdout } = await execFileAsync("/usr/bin/python3", [
      "-c",
      loadConfigScript,
      configPath,
    ]);
    const loaded = JSON.parse(stdout) as Record<string, unknown>;

    expect(loaded.template_vars).toEqual({ hubfed_hub_slug: hubSlug });
    expect(loaded.admin_users).toEqual(["ada", admin].sort());
    expect(loaded.password).toBe(password);
    expect(loaded.bind_url).toBe("http://127.0.0.1:18000/");
    expect(loaded.spawner_class).toBe("HubfedLocalSpawner");
    // Limits come from the student's cgroup or rlimits set by the spawner, not a wrapper; the
    // server never runs as root, so it is never allowed to.
    expect(loaded.cmd).toEqual(["/usr/bin/python3", "-m", "jupyterhub.singleuser"]);
    expect(loaded.args).toEqual([]);
    expect(loaded.default_url).toBe("/tree");
    expect(loaded.mem_limit).toBe(2048 * 1024 * 1024);
    expect(loaded.environment).toMatchObject({ HUBFED_LOCAL_HUB: hub.dataDirectory });
    expect(loaded.services).toEqual([
      { name: "portal", api_token: "portal-token-0123456789abcdef" },
      {
        name: "hubfed-idle-culler",
        command: [
          "/usr/bin/python3",
          `${hub.dataDirectory}/hubfed_idle_culler.py`,
          "--timeout=3600",
          "--max-age=28800",
          "--interval=60",
        ],
        environment: { HUBFED_LOCAL_HUB: hub.dataDirectory },
      },
    ]);
    expect(loaded.roles).toEqual([
      {
        name: "hubfed-portal-metering",
        scopes: ["list:users", "read:users:activity", "read:servers", "read:metrics"],
        services: ["portal"],
      },
      { name: "hubfed-portal-access", scopes: ["delete:users"], services: ["portal"] },
      {
        name: "hubfed-idle-culler",
        scopes: ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        services: ["hubfed-idle-culler"],
      },
    ]);
  });

  it("loads the portal's authenticator from the data directory with hostile values as data", async () => {
    const courseName = "Physics\"\nimport subprocess #''' 😀";
    const clientSecret = 'secret"\n\r\0 0123456789';
    const hub = buildTestHub({
      dataDirectory: path.join(directory, "hub"),
      authentication: {
        kind: "portal-oidc",
        issuerUrl: "https://portal.example.edu/oidc",
        clientId: "hub-physics-101",
        clientSecret,
        courseSlug: "physics-101",
        courseName,
        portalUrl: "https://portal.example.edu",
      },
    });
    await writeLocalHubFiles(hub);
    const { stdout } = await execFileAsync("/usr/bin/python3", [
      "-c",
      loadAuthenticatorScript,
      path.join(hub.dataDirectory, "jupyterhub_config.py"),
    ]);
    expect(JSON.parse(stdout)).toEqual({
      class: "PortalOidcAuthenticator",
      issuer_url: "https://portal.example.edu/oidc",
      client_id: "hub-physics-101",
      client_secret: clientSecret,
      callback_url: "http://127.0.0.1:18000/hub/oauth_callback",
      course_slug: "physics-101",
      course_name: courseName,
      portal_url: "https://portal.example.edu/",
      auto_login: true,
      manage_groups: true,
      // Roles are re-read from the portal; the key for the kept tokens is 32 bytes.
      enable_auth_state: true,
      auth_refresh_age: hubSignInRefreshSeconds,
      refresh_pre_spawn: true,
      auth_state_keys: [32],
      login_url: "/hub/oauth_login",
      handlers: ["/oauth_login", "/oauth_callback", "/logout"],
    });
  });
});
