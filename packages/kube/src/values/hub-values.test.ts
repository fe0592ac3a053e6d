import { studentModuleSource } from "@hubfed/grader";
import { hubSignInRefreshSeconds } from "@hubfed/hub-spec";
import { describe, expect, it } from "vitest";
import { buildExampleHubManifestInput } from "../manifests/example-input";
import { hubManifestInputSchema, type HubManifestInput } from "../manifests/types";
import { buildHubValues, computeCullInterval, splitImageReference } from "./hub-values";
import { validateHubValues } from "./values-schema";

function withSpec(change: Partial<HubManifestInput["spec"]>): HubManifestInput {
  const input = buildExampleHubManifestInput();
  return { ...input, spec: { ...input.spec, ...change } };
}

describe("buildHubValues", () => {
  it.each([
    ["a typical hub", buildExampleHubManifestInput()],
    [
      "no autograder, no placeholders",
      withSpec({ autograder: { isEnabled: false }, placeholderSeats: 0 }),
    ],
    ["classic notebook", withSpec({ interface: "classic" })],
    [
      "RStudio with odd sizes",
      withSpec({ interface: "rstudio", memoryGuaranteeMib: 768, memoryLimitMib: 1536 }),
    ],
  ])("produces values the chart's schema accepts: %s", (_, input) => {
    expect(validateHubValues(buildHubValues(input))).toEqual({ isValid: true, problems: [] });
  });

  it("signs users in at the portal with their course groups", () => {
    const { hub } = buildHubValues(buildExampleHubManifestInput()) as {
      hub: { config: Record<string, Record<string, unknown>>; extraEnv: unknown };
    };
    expect(hub.config.JupyterHub).toEqual({ authenticator_class: "generic-oauth" });
    expect(hub.config.GenericOAuthenticator).toMatchObject({
      client_id: "hub-data-8",
      oauth_callback_url: "https://data-8.us-west.hubfed.example.org/hub/oauth_callback",
      authorize_url: "https://portal.hubfed.example.org/oidc/auth",
      token_url: "https://portal.hubfed.example.org/oidc/token",
      userdata_url: "https://portal.hubfed.example.org/oidc/me",
      username_claim: "preferred_username",
      scope: ["openid", "profile", "email", "groups"],
      enable_pkce: true,
      manage_groups: true,
      auth_state_groups_key: "oauth_user.groups",
      auto_login: true,
      allowed_groups: ["data-8:student", "data-8:ta", "data-8:instructor"],
      admin_groups: ["data-8:instructor", "data-8:ta"],
      logout_redirect_url: "https://portal.hubfed.example.org/",
    });
    expect(hub.config.GenericOAuthenticator).not.toHaveProperty("client_secret");
    expect(hub.extraEnv).toEqual({
      OAUTH_CLIENT_SECRET: {
        valueFrom: { secretKeyRef: { name: "hubfed-oidc-client", key: "client-secret" } },
      },
    });
    // Without a revision the hub pod carries no annotation of ours.
    expect(hub).not.toHaveProperty("annotations");
  });

  it("rolls the hub pod when the client secret's revision changes", () => {
    const input = buildExampleHubManifestInput();
    const annotationsFor = (revision: string) => {
      const values = buildHubValues({
        ...input,
        oidc: { ...input.oidc, clientSecretRevision: revision },
      });
      expect(validateHubValues(values)).toEqual({ isValid: true, problems: [] });
      return (values as { hub: { annotations?: unknown } }).hub.annotations;
    };
    expect(annotationsFor("2026-11-22T05:00:00.000Z")).toEqual({
      "hubfed.io/oidc-client-secret-revision": "2026-11-22T05:00:00.000Z",
    });
    expect(annotationsFor("2026-11-23T09:30:00.000Z")).not.toEqual(
      annotationsFor("2026-11-22T05:00:00.000Z"),
    );
  });

  it("refuses sign-in settings the chart's schema or the input rules do not accept", () => {
    const input = buildExampleHubManifestInput();
    const values = buildHubValues(input) as {
      hub: { config: Record<string, Record<string, unknown>> };
    };
    // The schema check has teeth: an unknown hub key is refused.
    const withTypo = { ...values, hub: { ...values.hub, authenticatorr: {} } };
    expect(validateHubValues(withTypo).isValid).toBe(false);
    expect(() =>
      hubManifestInputSchema.parse({
        ...input,
        oidc: { ...input.oidc, logoutRedirectUrl: "not a url" },
      }),
    ).toThrow();
  });

  it("registers the portal and the health check, each with least-privilege roles of its own", () => {
    for (const isEnabled of [true, false]) {
      const { hub } = buildHubValues(withSpec({ autograder: { isEnabled } })) as {
        hub: { services: unknown; loadRoles: Record<string, unknown> };
      };
      expect(hub.services).toEqual({
        portal: { admin: false },
        "hubfed-health-check": { admin: false },
      });
      expect(Object.keys(hub.loadRoles)).toEqual([
        "hubfed-portal-metering",
        "hubfed-portal-access",
        "hubfed-health-check",
      ]);
      expect(hub.loadRoles["hubfed-portal-metering"]).toMatchObject({
        scopes: ["list:users", "read:users:activity", "read:servers", "read:metrics"],
        services: ["portal"],
      });
      // Every health-check scope is filtered to the one synthetic user: no real user's data.
      expect(hub.loadRoles["hubfed-health-check"]).toMatchObject({
        scopes: [
          "admin:users!user=hubfed-health-check",
          "servers!user=hubfed-health-check",
          "access:servers!user=hubfed-health-check",
        ],
        services: ["hubfed-health-check"],
      });
      // Removing people, nothing more: not admin:users (which could make anyone admin).
      expect(hub.loadRoles["hubfed-portal-access"]).toMatchObject({
        scopes: ["delete:users"],
        services: ["portal"],
      });
    }
  });

  it("access outlives enrolment: hubs re-read roles often and keep homes when removing people", () => {
    const { hub } = buildHubValues(buildExampleHubManifestInput()) as {
      hub: { config: Record<string, Record<string, unknown>> };
    };
    expect(hub.config.GenericOAuthenticator).toMatchObject({
      enable_auth_state: true,
      auth_refresh_age: hubSignInRefreshSeconds,
      refresh_pre_spawn: true,
    });
    expect(hubSignInRefreshSeconds).toBeLessThanOrEqual(300);
    expect(hub.config.KubeSpawner).toEqual({ delete_pvc: false });
  });

  it("puts the autograder's student module and server extension into every user server", () => {
    const { singleuser } = buildHubValues(buildExampleHubManifestInput()) as {
      singleuser: { extraFiles: Record<string, unknown>; extraEnv: unknown };
    };
    expect(singleuser.extraFiles).toEqual({
      "hubfed-autograder-module": {
        mountPath: "/usr/local/share/hubfed/python/hubfed_autograder.py",
        stringData: studentModuleSource(),
      },
      "hubfed-autograder-jupyter-server": {
        mountPath: "/usr/local/etc/jupyter/jupyter_server_config.d/hubfed.json",
        data: { ServerApp: { jpserver_extensions: { hubfed_autograder: true } } },
      },
      "hubfed-autograder-notebook": {
        mountPath: "/usr/local/etc/jupyter/jupyter_notebook_config.d/hubfed.json",
        data: { NotebookApp: { nbserver_extensions: { hubfed_autograder: true } } },
      },
    });
    expect(singleuser.extraEnv).toEqual({
      PYTHONPATH: "/usr/local/share/hubfed/python",
      HUBFED_PORTAL_URL: "https://portal.hubfed.example.org",
      HUBFED_HUB_SLUG: "data-8",
    });
    const without = buildHubValues(withSpec({ autograder: { isEnabled: false } })) as {
      singleuser: Record<string, unknown>;
    };
    expect(without.singleuser.extraFiles).toBeUndefined();
    expect(without.singleuser.extraEnv).toBeUndefined();
  });

  it("sizes user servers in the units KubeSpawner reads", () => {
    const values = buildHubValues(withSpec({ memoryGuaranteeMib: 768, memoryLimitMib: 2048 })) as {
      singleuser: Record<string, unknown>;
    };
    expect(values.singleuser).toMatchObject({
      image: { name: "quay.io/jupyter/scipy-notebook", tag: "2025-06-02" },
      cpu: { guarantee: 0.25, limit: 2 },
      memory: { guarantee: "768M", limit: "2G" },
      storage: { type: "dynamic", capacity: "10Gi", dynamic: { storageClass: "gp3" } },
      defaultUrl: "/lab",
      startTimeout: 300,
    });
  });

  it("routes through the region's ingress with TLS from its cert-manager issuer, and no load balancer", () => {
    const values = buildHubValues(buildExampleHubManifestInput()) as Record<string, unknown>;
    expect(values.proxy).toMatchObject({ service: { type: "ClusterIP" } });
    expect(values.ingress).toEqual({
      enabled: true,
      ingressClassName: "nginx",
      annotations: { "cert-manager.io/cluster-issuer": "hubfed" },
      hosts: ["data-8.us-west.hubfed.example.org"],
      tls: [{ hosts: ["data-8.us-west.hubfed.example.org"], secretName: "data-8-tls" }],
    });
  });

  it("culls, leaves placeholders to Hubfed's own Deployment and pre-pulls", () => {
    const values = buildHubValues(buildExampleHubManifestInput()) as Record<string, unknown>;
    expect(values.cull).toEqual({ enabled: true, timeout: 3600, every: 600, maxAge: 28800 });
    expect(values.scheduling).toEqual({
      podPriority: { enabled: true },
      userPlaceholder: { enabled: false },
      userScheduler: { enabled: true },
      userPods: { nodeAffinity: { matchNodePurpose: "require" } },
    });
    expect(values.prePuller).toMatchObject({ continuous: { enabled: true } });
    expect(computeCullInterval(300)).toBe(60);
  });
});

describe("splitImageReference", () => {
  it.each([
    [
      "quay.io/jupyter/scipy-notebook:2025-06-02",
      { name: "quay.io/jupyter/scipy-notebook", tag: "2025-06-02" },
    ],
    [
      "registry.example:5000/course/image:v1",
      { name: "registry.example:5000/course/image", tag: "v1" },
    ],
    [
      "registry.example:5000/course/image",
      { name: "registry.example:5000/course/image", tag: "latest" },
    ],
    ["ghcr.io/a/b@sha256:0123abcd", { name: "ghcr.io/a/b@sha256", tag: "0123abcd" }],
  ])("%s", (reference, expected) => {
    expect(splitImageReference(reference)).toEqual(expected);
  });
});

describe("validateHubValues", () => {
  it("reports an unknown key with the schema's message and where it is", () => {
    const result = validateHubValues({ singleuser: { memory: { guarrantee: "1G" } } });
    expect(result).toEqual({
      isValid: false,
      problems: [
        {
          path: "/singleuser/memory",
          message: 'must NOT have additional properties: "guarrantee"',
        },
      ],
    });
  });

  it("reports wrong types and values outside an enum", () => {
    const result = validateHubValues({
      cull: { timeout: "an hour" },
      scheduling: { userPods: { nodeAffinity: { matchNodePurpose: "always" } } },
    });
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { path: "/cull/timeout", message: "must be integer,null" },
        {
          path: "/scheduling/userPods/nodeAffinity/matchNodePurpose",
          message: 'must be equal to one of the allowed values: "ignore", "prefer", "require"',
        },
      ]),
    );
  });

  it("still requires what the chart's defaults cannot supply", () => {
    const result = validateHubValues({
      hub: { extraFiles: { motd: { stringData: "hello" } } },
      prePuller: { extraImages: { grader: { name: "ghcr.io/hubfed/grader" } } },
    });
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { path: "/hub/extraFiles/motd", message: "must have required property 'mountPath'" },
        { path: "/prePuller/extraImages/grader", message: "must have required property 'tag'" },
      ]),
    );
  });

  it("explains where it looked when the schema is missing", () => {
    expect(() =>
      validateHubValues({}, { schemaPath: "/nonexistent/z2jh-values.schema.yaml" }),
    ).toThrow(/Cannot read the Zero to JupyterHub values schema at \/nonexistent/);
  });
});
