import { studentModuleSource } from "@hubfed/grader";
import { hubSignInRefreshSeconds } from "@hubfed/hub-spec";
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  cullIntervalSeconds,
  renderJupyterhubConfig,
  renderLocalHubFiles,
  renderSingleUserJupyterConfig,
  writeLocalHubFiles,
} from "./config";
import { localHubPaths, localStudentAccountPrefix, parseLocalHub, type LocalHubInput } from "./hub";
import { toPythonString } from "./python-literal";
import { buildTestHub } from "./testing";

const mebibyte = 1024 * 1024;

function linesOf(config: string): string[] {
  return config.split("\n");
}

describe("renderJupyterhubConfig", () => {
  it("gives the hub its own ports, the API and hub ports on the loopback only", () => {
    const config = renderJupyterhubConfig(buildTestHub({ publicHost: "0.0.0.0" }));
    const lines = linesOf(config);
    expect(lines).toContain('c.JupyterHub.bind_url = "http://0.0.0.0:18000/"');
    expect(lines).toContain('c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:18001"');
    expect(lines).toContain('c.JupyterHub.hub_bind_url = "http://127.0.0.1:18002"');
    expect(linesOf(renderJupyterhubConfig(buildTestHub()))).toContain(
      'c.JupyterHub.bind_url = "http://127.0.0.1:18000/"',
    );
  });

  it("keeps state, homes and the proxy pid file inside the data directory", () => {
    const lines = linesOf(renderJupyterhubConfig(buildTestHub()));
    const data = "/var/lib/hubfed/hubs/physics-101";
    expect(lines).toContain(`c.JupyterHub.cookie_secret_file = "${data}/jupyterhub_cookie_secret"`);
    expect(lines).toContain(`c.JupyterHub.db_url = "sqlite:///${data}/jupyterhub.sqlite"`);
    expect(lines).toContain(`c.ConfigurableHTTPProxy.pid_file = "${data}/jupyterhub-proxy.pid"`);
    expect(lines).toContain("c.JupyterHub.spawner_class = HubfedLocalSpawner");
    expect(lines).toContain(`c.HubfedLocalSpawner.homes_directory = "${data}/homes"`);
    expect(lines).toContain(`c.HubfedLocalSpawner.storage_directory = "${data}/storage"`);
  });

  it("runs each student under an account of their own with their limits, never as root", () => {
    const hub = buildTestHub();
    const config = renderJupyterhubConfig(hub);
    const lines = linesOf(config);
    const prefix = localStudentAccountPrefix(hub.dataDirectory);
    expect(prefix).toMatch(/^hf[0-9a-f]{6}-$/);
    expect(lines).toContain(`c.HubfedLocalSpawner.account_prefix = "${prefix}"`);
    expect(lines).toContain(`c.HubfedLocalSpawner.storage_bytes = ${10 * 1024 * mebibyte}`);
    expect(lines).toContain("c.HubfedLocalSpawner.cpu_limit_milli = 1500");
    expect(lines).toContain("c.HubfedLocalSpawner.max_processes = 256");
    expect(lines).toContain(`memory_limit_bytes = ${2048 * mebibyte}`);
    expect(lines).toContain('c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]');
    expect(lines).toContain("c.Spawner.mem_limit = memory_limit_bytes");
    expect(lines).toContain(`c.Spawner.mem_guarantee = ${512 * mebibyte}`);
    expect(lines).toContain("c.Spawner.cpu_limit = 1.5");
    expect(lines).toContain("c.Spawner.start_timeout = 120");
    expect(lines).toContain("os.umask(0o077)");
    // The advisories JupyterHub 3.0 predates (docs/local-runtime.md).
    expect(lines).toContain("c.JupyterHub.admin_access = False");
    expect(lines).toContain("c.HubfedLocalSpawner.never_admin_users = []");
    // Students' servers no longer run as root, so nothing may allow it.
    expect(config).not.toContain("--allow-root");
    expect(config).not.toContain("prlimit");
  });

  it("gives two hubs different account prefixes, the same hub always the same", () => {
    expect(localStudentAccountPrefix("/srv/hubs/a")).toBe(localStudentAccountPrefix("/srv/hubs/a"));
    expect(localStudentAccountPrefix("/srv/hubs/a")).not.toBe(
      localStudentAccountPrefix("/srv/hubs/b"),
    );
  });

  it("opens the interface the hub asks for, falling back to the classic notebook", () => {
    const lab = renderJupyterhubConfig(
      buildTestHub({ spec: { ...buildTestHub().spec, interface: "lab" } }),
    );
    expect(linesOf(lab)).toContain('interface = "lab"');
    expect(lab).toContain(
      'if interface == "lab" and importlib.util.find_spec("jupyterlab"):\n    c.Spawner.default_url = "/lab"',
    );
    expect(lab).toContain('else:\n    c.Spawner.default_url = "/tree"');
    expect(linesOf(renderJupyterhubConfig(buildTestHub()))).toContain('interface = "classic"');
  });

  it("enables nbgitpuller for the notebook server and jupyter_server", () => {
    const config = renderJupyterhubConfig(buildTestHub());
    expect(config).toContain(
      '"JUPYTER_CONFIG_PATH": "/var/lib/hubfed/hubs/physics-101/jupyter-config",',
    );
    expect(config).toContain('"JUPYTERHUB_SINGLEUSER_APP": "notebook.notebookapp.NotebookApp"');
    const files = Object.fromEntries(
      renderSingleUserJupyterConfig().map((file) => [file.relativePath, JSON.parse(file.content)]),
    );
    expect(files["jupyter-config/jupyter_notebook_config.json"]).toEqual({
      NotebookApp: { nbserver_extensions: { nbgitpuller: true } },
    });
    expect(files["jupyter-config/jupyter_server_config.json"]).toEqual({
      ServerApp: { jpserver_extensions: { nbgitpuller: true } },
    });
  });

  it("registers the portal and the idle culler, each with a least-privilege role", () => {
    const config = renderJupyterhubConfig(buildTestHub());
    expect(config).toContain('{"name": "portal", "api_token": "portal-token-0123456789abcdef"}');
    expect(config).toContain(
      '{"name": "hubfed-portal-metering", "scopes": ["list:users", "read:users:activity", "read:servers", "read:metrics"], "services": ["portal"]}',
    );
    expect(config).toContain(
      '{"name": "hubfed-idle-culler", "command": [sys.executable, "/var/lib/hubfed/hubs/physics-101/hubfed_idle_culler.py", *["--timeout=3600", "--max-age=28800", "--interval=60"]], "environment": hub_marker}',
    );
    expect(config).toContain(
      '{"name": "hubfed-idle-culler", "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"], "services": ["hubfed-idle-culler"]}',
    );
    // Removing people who left the course or its staff, and nothing more (not admin:users).
    expect(config).toContain(
      '{"name": "hubfed-portal-access", "scopes": ["delete:users"], "services": ["portal"]}',
    );
  });

  it("gives the health check a service of its own, whose role reaches its one synthetic user", () => {
    const withoutToken = renderJupyterhubConfig(buildTestHub());
    expect(withoutToken).not.toContain("hubfed-health-check");
    const config = renderJupyterhubConfig(
      buildTestHub({
        serviceTokens: {
          portal: "portal-token-0123456789abcdef",
          healthCheck: "health-token-0123456789abcdef",
        },
      }),
    );
    expect(config).toContain(
      '{"name": "hubfed-health-check", "api_token": "health-token-0123456789abcdef"}',
    );
    expect(config).toContain(
      '{"name": "hubfed-health-check", "scopes": ["admin:users!user=hubfed-health-check", "servers!user=hubfed-health-check", "access:servers!user=hubfed-health-check"], "services": ["hubfed-health-check"]}',
    );
    // Its token may set the admin flag of its user (admin:users), which CVE-2024-41942 makes
    // full admin on JupyterHub 3.0: the spawner refuses that user as an admin.
    expect(linesOf(config)).toContain(
      'c.HubfedLocalSpawner.never_admin_users = ["hubfed-health-check"]',
    );
    // The portal's own role is unchanged: metering only.
    expect(config).toContain(
      '{"name": "hubfed-portal-metering", "scopes": ["list:users", "read:users:activity", "read:servers", "read:metrics"], "services": ["portal"]}',
    );
  });

  it("leaves the culler out when both cull rules are off", () => {
    const spec = { ...buildTestHub().spec, cullTimeoutSeconds: 0, cullMaxAgeSeconds: 0 };
    const config = renderJupyterhubConfig(buildTestHub({ spec }));
    expect(config).not.toContain("hubfed_idle_culler.py");
    expect(config).toContain('"hubfed-portal-metering"');
  });

  it("lists admins and keeps the authenticator in one section", () => {
    const config = renderJupyterhubConfig(buildTestHub({ admins: ["ada", "grace"] }));
    expect(linesOf(config)).toContain('c.Authenticator.admin_users = set(["ada", "grace"])');
    expect(config).toContain(
      '# Authentication: any user name with the shared password (development and demo only).\nc.JupyterHub.authenticator_class = "dummy"\nc.DummyAuthenticator.password = "course-password"\n',
    );
  });

  it("escapes hostile values so that none of them becomes code", () => {
    const hostileSlug = "x\"\nimport subprocess; subprocess.run(['id'])  # \\\u2028'''";
    const hostileAdmin = 'eve"]) ; import subprocess #';
    const config = renderJupyterhubConfig(
      buildTestHub({
        hubSlug: hostileSlug,
        admins: [hostileAdmin],
        authentication: { kind: "dummy", password: 'pass"word\n\r\0' },
      }),
    );
    expect(config).not.toMatch(/^import subprocess/m);
    expect(config).toContain(
      String.raw`hub_slug = "x\"\nimport subprocess; subprocess.run(['id'])  # \\\u2028'''"`,
    );
    expect(config).toContain(String.raw`set(["eve\"]) ; import subprocess #"])`);
    expect(config).toContain(String.raw`c.DummyAuthenticator.password = "pass\"word\n\r\u0000"`);
    // Pure ASCII: nothing outside printable characters and newlines between statements.
    expect(config).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it("refuses a data directory that is relative, climbs out or carries odd characters", () => {
    const base = buildTestHub();
    for (const dataDirectory of ["relative/dir", "/srv/../etc", '/srv/hub"s', "/srv/a b"]) {
      expect(() => parseLocalHub({ ...base, dataDirectory })).toThrow();
    }
  });
});

describe("signing in at the portal (portal-oidc)", () => {
  const portalOidc = {
    kind: "portal-oidc",
    issuerUrl: "https://portal.example.edu/oidc",
    clientId: "hub-physics-101",
    clientSecret: "client-secret-0123456789abcdef",
    courseSlug: "physics-101",
    courseName: "Physics 101: Mechanics",
    portalUrl: "https://portal.example.edu",
  } satisfies LocalHubInput["authentication"];

  it("gates spawns on the hub's memory budget and guarantee", () => {
    expect(renderJupyterhubConfig(buildTestHub({ userMemoryBudgetMib: 4096 }))).toContain(
      [
        "c.Spawner.pre_spawn_hook = make_capacity_hook(",
        "    budget_mib=4096,",
        "    guarantee_mib=512,",
        "    cull_timeout_seconds=3600,",
        ")",
      ].join("\n"),
    );
    expect(renderJupyterhubConfig(buildTestHub())).toContain("    budget_mib=None,");
  });

  it("loads the shipped authenticator with the client, the course and the exact callback URL", () => {
    const config = renderJupyterhubConfig(buildTestHub({ authentication: portalOidc }));
    // The modules written beside the configuration are importable from its directory.
    expect(config).toContain("sys.path.insert(0, data_directory)");
    expect(config).toContain(
      [
        "from hubfed_authenticator import PortalOidcAuthenticator  # noqa: E402",
        "",
        "c.JupyterHub.authenticator_class = PortalOidcAuthenticator",
        'c.PortalOidcAuthenticator.issuer_url = "https://portal.example.edu/oidc"',
        'c.PortalOidcAuthenticator.client_id = "hub-physics-101"',
        'c.PortalOidcAuthenticator.client_secret = "client-secret-0123456789abcdef"',
        'c.PortalOidcAuthenticator.callback_url = "http://127.0.0.1:18000/hub/oauth_callback"',
        'c.PortalOidcAuthenticator.course_slug = "physics-101"',
        'c.PortalOidcAuthenticator.course_name = "Physics 101: Mechanics"',
        'c.PortalOidcAuthenticator.portal_url = "https://portal.example.edu/"',
        "c.PortalOidcAuthenticator.auto_login = True",
        "c.PortalOidcAuthenticator.manage_groups = True",
      ].join("\n"),
    );
    expect(config).not.toContain("DummyAuthenticator");
  });

  it("access outlives enrolment: re-reads roles every few minutes and before every spawn", () => {
    const config = renderJupyterhubConfig(buildTestHub({ authentication: portalOidc }));
    expect(config).toContain(
      [
        "c.PortalOidcAuthenticator.enable_auth_state = True",
        `c.PortalOidcAuthenticator.auth_refresh_age = ${hubSignInRefreshSeconds}`,
        "c.PortalOidcAuthenticator.refresh_pre_spawn = True",
        // The health check's synthetic user never signed in at the portal: no roles to re-read.
        'c.PortalOidcAuthenticator.service_users = ["hubfed-health-check"]',
        'with open("/var/lib/hubfed/hubs/physics-101/jupyterhub_auth_state_key") as auth_state_key:',
        "    c.CryptKeeper.keys = [auth_state_key.read().strip()]",
      ].join("\n"),
    );
    const shortened = renderJupyterhubConfig(
      buildTestHub({ authentication: portalOidc, authRefreshSeconds: 2 }),
    );
    expect(shortened).toContain("c.PortalOidcAuthenticator.auth_refresh_age = 2\n");
    // A hub signing in with a shared password has no portal to ask.
    expect(renderJupyterhubConfig(buildTestHub())).not.toContain("auth_refresh_age");
  });

  it("calls back on the address browsers reach, also when the proxy listens on every interface", () => {
    const config = renderJupyterhubConfig(
      buildTestHub({ authentication: portalOidc, publicHost: "0.0.0.0" }),
    );
    expect(config).toContain(
      'c.PortalOidcAuthenticator.callback_url = "http://127.0.0.1:18000/hub/oauth_callback"',
    );
  });

  it("writes the portal's front page with exactly one trailing slash", () => {
    const config = renderJupyterhubConfig(
      buildTestHub({
        authentication: { ...portalOidc, portalUrl: "https://hubfed.example.edu/portal//" },
      }),
    );
    expect(config).toContain(
      'c.PortalOidcAuthenticator.portal_url = "https://hubfed.example.edu/portal/"',
    );
  });

  it("escapes hostile course names and secrets", () => {
    const config = renderJupyterhubConfig(
      buildTestHub({
        authentication: {
          ...portalOidc,
          courseName: "Physics\"\nimport subprocess; subprocess.run(['id']) #",
          clientSecret: 'secret"\nimport subprocess #0123456789',
        },
      }),
    );
    expect(config).not.toMatch(/^import subprocess/m);
    expect(config).toContain(
      String.raw`c.PortalOidcAuthenticator.course_name = "Physics\"\nimport subprocess; subprocess.run(['id']) #"`,
    );
    expect(config).toContain(
      String.raw`c.PortalOidcAuthenticator.client_secret = "secret\"\nimport subprocess #0123456789"`,
    );
  });

  it("refuses URLs that are not http(s) and secrets too short to be real", () => {
    const base = buildTestHub();
    const parse = (change: Partial<typeof portalOidc>) => () =>
      parseLocalHub({ ...base, authentication: { ...portalOidc, ...change } });
    expect(parse({})).not.toThrow();
    expect(parse({ portalUrl: "javascript:alert(1)" })).toThrow();
    expect(parse({ issuerUrl: "file:///etc/passwd" })).toThrow();
    expect(parse({ clientSecret: "short" })).toThrow();
  });

  it("ships the authenticator module beside the configuration", async () => {
    const files = await renderLocalHubFiles(buildTestHub({ authentication: portalOidc }));
    const module = files.find((file) => file.relativePath === "hubfed_authenticator.py");
    expect(module?.content).toContain("class PortalOidcAuthenticator(Authenticator):");
    expect(module?.content).toContain('"code_challenge_method": "S256"');
  });
});

describe("toPythonString", () => {
  it("writes characters beyond the BMP as one \\U escape, not a surrogate pair", () => {
    expect(toPythonString("a😀")).toBe(String.raw`"a\U0001f600"`);
    expect(toPythonString("é")).toBe(String.raw`"\u00e9"`);
  });
});

describe("cullIntervalSeconds", () => {
  it("checks a third as often as the shortest rule, between 5 and 60 seconds", () => {
    const spec = buildTestHub().spec;
    expect(cullIntervalSeconds(buildTestHub())).toBe(60);
    expect(cullIntervalSeconds(buildTestHub({ spec: { ...spec, cullTimeoutSeconds: 30 } }))).toBe(
      10,
    );
    expect(cullIntervalSeconds(buildTestHub({ spec: { ...spec, cullTimeoutSeconds: 6 } }))).toBe(5);
    expect(cullIntervalSeconds(buildTestHub({ cullIntervalSeconds: 2 }))).toBe(2);
  });
});

describe("the autograder", () => {
  const enabled = (overrides: Partial<LocalHubInput> = {}) =>
    buildTestHub({
      spec: { ...buildTestHub().spec, autograder: { isEnabled: true } },
      ...overrides,
    });
  const portalOidc = {
    kind: "portal-oidc",
    issuerUrl: "https://portal.example.edu/oidc",
    clientId: "hub-physics-101",
    clientSecret: "client-secret-0123456789abcdef",
    courseSlug: "physics-101",
    courseName: "Physics 101: Mechanics",
    portalUrl: "https://portal.example.edu/",
  } satisfies LocalHubInput["authentication"];
  const jupyterConfig = async (hub: ReturnType<typeof buildTestHub>) =>
    Object.fromEntries(
      (await renderLocalHubFiles(hub))
        .filter((file) => file.relativePath.startsWith("jupyter-config/"))
        .map((file) => [file.relativePath, JSON.parse(file.content) as unknown]),
    );

  it("is off unless the spec turns it on: no module, no environment, no extension", async () => {
    const hub = buildTestHub();
    expect(hub.spec.autograder).toEqual({ isEnabled: false });
    const config = renderJupyterhubConfig(hub);
    expect(config).not.toContain("PYTHONPATH");
    expect(config).not.toContain("HUBFED_HUB_SLUG");
    expect(config).not.toContain("HUBFED_PORTAL_URL");
    const files = (await renderLocalHubFiles(hub)).map((file) => file.relativePath);
    expect(files).not.toContain("student-python/hubfed_autograder.py");
    expect(JSON.stringify(await jupyterConfig(hub))).not.toContain("hubfed_autograder");
  });

  it("gives user servers the student module, the portal and the hub, and enables the extension", async () => {
    const hub = enabled({ authentication: portalOidc });
    const lines = renderJupyterhubConfig(hub).split("\n");
    expect(lines).toContain('    "PYTHONPATH": "/var/lib/hubfed/hubs/physics-101/student-python",');
    expect(lines).toContain('    "HUBFED_PORTAL_URL": "https://portal.example.edu",');
    expect(lines).toContain('    "HUBFED_HUB_SLUG": hub_slug,');
    const files = await renderLocalHubFiles(hub);
    expect(
      files.find((file) => file.relativePath === "student-python/hubfed_autograder.py"),
    ).toEqual({
      relativePath: "student-python/hubfed_autograder.py",
      content: studentModuleSource(),
    });
    expect(await jupyterConfig(hub)).toEqual({
      "jupyter-config/jupyter_notebook_config.json": {
        NotebookApp: { nbserver_extensions: { nbgitpuller: true, hubfed_autograder: true } },
      },
      "jupyter-config/jupyter_server_config.json": {
        ServerApp: { jpserver_extensions: { nbgitpuller: true, hubfed_autograder: true } },
      },
    });
  });

  it("names no portal when the hub does not sign in through one", () => {
    const config = renderJupyterhubConfig(enabled());
    expect(config).toContain('"HUBFED_HUB_SLUG": hub_slug,');
    expect(config).not.toContain("HUBFED_PORTAL_URL");
  });
});

describe("writing the autograder's module", () => {
  it("writes it when the autograder is on and removes it when it is turned off", async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), "hubfed-student-module-"));
    try {
      const hub = (isEnabled: boolean) =>
        buildTestHub({
          dataDirectory: directory,
          spec: { ...buildTestHub().spec, autograder: { isEnabled } },
        });
      const module = localHubPaths(directory).studentModule;
      await writeLocalHubFiles(hub(true));
      expect(await readFile(module, "utf8")).toBe(studentModuleSource());
      await writeLocalHubFiles(hub(false));
      expect(existsSync(module)).toBe(false);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe("the auth state key", () => {
  it("is made once, readable by the hub's account only, and kept across rewrites", async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), "hubfed-auth-state-key-"));
    try {
      const hub = buildTestHub({ dataDirectory: directory });
      const keyFile = localHubPaths(directory).authStateKey;
      await writeLocalHubFiles(hub);
      const key = await readFile(keyFile, "utf8");
      expect(key).toMatch(/^[0-9a-f]{64}\n$/);
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      // A new key would make every stored auth state unreadable.
      await writeLocalHubFiles(hub);
      expect(await readFile(keyFile, "utf8")).toBe(key);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
