import { studentModuleSource } from "@hubfed/grader";
import { type JsonObject } from "../json";
import { CLUSTER_ISSUER_NAME, PORTAL_SERVICE_NAME } from "../manifests/conventions";
import { buildHubHost } from "../manifests/labels";
import { formatKubeSpawnerMemory, toCores } from "../manifests/quantities";
import {
  healthCheckScopes,
  healthCheckServiceName,
  hubInterfaceStartPaths,
  hubSignInRefreshSeconds,
  type HubSpecFieldHandling,
} from "@hubfed/hub-spec";
import { type HubManifestInput } from "../manifests/types";

/**
 * Least privilege for metering: who is active on which server and the hub's own Prometheus
 * metrics, nothing else (same as local hubs).
 */
export const PORTAL_METERING_SCOPES = [
  "list:users",
  "read:users:activity",
  "read:servers",
  "read:metrics",
];
/**
 * Taking a person's access away (same as local hubs): `DELETE /hub/api/users/{name}` stops their
 * server and removes them with their tokens and admin flag. Their home volume stays
 * (`KubeSpawner.delete_pvc: false`).
 */
export const PORTAL_ACCESS_SCOPES = ["delete:users"];
/** Where user servers find the autograder's student module (`import hubfed_autograder`). */
export const STUDENT_MODULE_DIRECTORY = "/usr/local/share/hubfed/python";
/** A system-wide Jupyter config directory every Jupyter application reads. */
const JUPYTER_SYSTEM_CONFIG_DIRECTORY = "/usr/local/etc/jupyter";

/**
 * Where each field of the hub spec lands on Kubernetes. A new spec field does
 * not compile here until it is placed (or said not to apply).
 */
export const kubernetesSpecFieldHandling = {
  image: "singleuser.image (values)",
  interface: "singleuser.defaultUrl (values)",
  memoryGuaranteeMib: "singleuser.memory.guarantee (values); the namespace quota",
  memoryLimitMib: "singleuser.memory.limit (values); the namespace quota and limit range",
  cpuGuaranteeMilli: "singleuser.cpu.guarantee (values)",
  cpuLimitMilli: "singleuser.cpu.limit (values); the namespace quota and limit range",
  storageGib: "singleuser.storage.capacity (values); the storage quota",
  cullTimeoutSeconds: "cull.timeout and cull.every (values)",
  cullMaxAgeSeconds: "cull.maxAge (values)",
  startTimeoutSeconds: "singleuser.startTimeout (values)",
  placeholderSeats:
    "the plan's standing warm seats (capacity/plan.ts); capacity.apply scales the hubfed-capacity-placeholders Deployment",
  autograder:
    "singleuser.extraFiles and extraEnv (values: the student module and its server extension); the deny-grading-traffic network policy; grading Jobs in the quota",
  auth: "not applied: the hub signs in through the portal, which applies these rules",
} as const satisfies HubSpecFieldHandling;

/**
 * Splits an image reference at the tag, as the chart wants it (`name`, `tag`).
 * A digest splits too: `repo@sha256:abc` → name `repo@sha256`, tag `abc`,
 * which the chart joins back into the same reference.
 */
export function splitImageReference(reference: string): { name: string; tag: string } {
  const lastSlash = reference.lastIndexOf("/");
  const lastColon = reference.lastIndexOf(":");
  if (lastColon > lastSlash) {
    return { name: reference.slice(0, lastColon), tag: reference.slice(lastColon + 1) };
  }
  return { name: reference, tag: "latest" };
}

/** The course's roles as the portal's OIDC provider puts them in the `groups` claim (SPEC §5). */
export function buildCourseGroups(courseSlug: string) {
  return {
    student: `${courseSlug}:student`,
    ta: `${courseSlug}:ta`,
    instructor: `${courseSlug}:instructor`,
  };
}

/**
 * At most as many spawns at once as the expected crowd, between 10 and the
 * chart's default of 64: a lecture start is a burst, and a hub spawning more
 * than that at once mostly times out pods rather than starting them sooner.
 */
export function computeConcurrentSpawnLimit(expectedConcurrentUsers: number): number {
  return Math.min(64, Math.max(10, expectedConcurrentUsers));
}

/** Checks for idle servers often enough that none outlives the timeout by more than a sixth. */
export function computeCullInterval(cullTimeoutSeconds: number): number {
  return Math.min(600, Math.max(60, Math.round(cullTimeoutSeconds / 6)));
}

/**
 * The Zero to JupyterHub values for one course hub: overrides only, the
 * chart's defaults supply everything else (REFERENCE §3). Pure.
 */
export function buildHubValues(input: HubManifestInput): JsonObject {
  const { spec } = input;
  const host = buildHubHost(input);
  const groups = buildCourseGroups(input.courseSlug);

  // The chart generates each service's token into the Secret `hub` (hub.services.<name>.apiToken).
  const services: JsonObject = {
    [PORTAL_SERVICE_NAME]: { admin: false },
    [healthCheckServiceName]: { admin: false },
  };
  const loadRoles: JsonObject = {
    "hubfed-portal-metering": {
      description: "The portal reads activity for metering and capacity, nothing else",
      scopes: PORTAL_METERING_SCOPES,
      services: [PORTAL_SERVICE_NAME],
    },
    "hubfed-portal-access": {
      description: "The portal removes people who left the course or its staff",
      scopes: PORTAL_ACCESS_SCOPES,
      services: [PORTAL_SERVICE_NAME],
    },
    "hubfed-health-check": {
      description: "`hubfed health-check` uses its one synthetic user, no one else's",
      scopes: [...healthCheckScopes],
      services: [healthCheckServiceName],
    },
  };

  return {
    hub: {
      config: {
        JupyterHub: { authenticator_class: "generic-oauth" },
        GenericOAuthenticator: {
          client_id: input.oidc.clientId,
          oauth_callback_url: `https://${host}/hub/oauth_callback`,
          authorize_url: input.oidc.authorizeUrl,
          token_url: input.oidc.tokenUrl,
          userdata_url: input.oidc.userinfoUrl,
          // `profile` carries preferred_username in standard OIDC claims.
          scope: ["openid", "profile", "email", "groups"],
          username_claim: "preferred_username",
          // The portal requires PKCE (S256) of every hub.
          enable_pkce: true,
          // No login form: /hub/login goes straight to the portal, where people are signed in.
          auto_login: true,
          // The course roles become the hub's groups at each sign-in (the grader reads them).
          manage_groups: true,
          // The userinfo answer's `groups` claim. OAuthenticator 17 spells the older
          // `claim_groups_key: groups` this way (the former is deprecated since 17.0).
          auth_state_groups_key: "oauth_user.groups",
          // Enrollment is the allow list; staff are admins, re-decided at every sign-in and refresh.
          allowed_groups: [groups.student, groups.ta, groups.instructor],
          admin_groups: [groups.instructor, groups.ta],
          logout_redirect_url: input.oidc.logoutRedirectUrl,
          // Roles stay current: the portal's tokens are kept in the (encrypted; the chart
          // generates CryptKeeper's key) auth state, and every few minutes and before every spawn
          // the hub asks userinfo again, with the refresh token once the access token expired.
          // Tokens revoked with an enrollment force a new sign-in, which is refused.
          enable_auth_state: true,
          auth_refresh_age: hubSignInRefreshSeconds,
          refresh_pre_spawn: true,
        },
        // Removing a person from the hub (the portal's access role) must not take their home.
        KubeSpawner: { delete_pvc: false },
      },
      ...(input.oidc.clientSecretRevision === undefined
        ? {}
        : {
            // A pod annotation: a new revision rolls the hub, which then reads the new secret.
            annotations: {
              "hubfed.io/oidc-client-secret-revision": input.oidc.clientSecretRevision,
            },
          }),
      // OAuthenticator reads OAUTH_CLIENT_SECRET when client_secret is unset, so
      // the secret stays in its Secret and never enters the values.
      extraEnv: {
        OAUTH_CLIENT_SECRET: {
          valueFrom: {
            secretKeyRef: {
              name: input.oidc.clientSecretRef.secretName,
              key: input.oidc.clientSecretRef.key,
            },
          },
        },
      },
      services,
      loadRoles,
      concurrentSpawnLimit: computeConcurrentSpawnLimit(input.expectedConcurrentUsers),
      // Explicit so the namespace quota can count on them (see CORE_PODS_LIMITS).
      resources: {
        requests: { cpu: "200m", memory: "512Mi" },
        limits: { cpu: "1", memory: "1Gi" },
      },
    },
    proxy: {
      service: { type: "ClusterIP" },
      chp: {
        resources: {
          requests: { cpu: "100m", memory: "128Mi" },
          limits: { cpu: "500m", memory: "512Mi" },
        },
      },
    },
    ingress: {
      enabled: true,
      ingressClassName: input.ingressClass,
      // cert-manager issues the certificate into the TLS Secret below.
      annotations: { "cert-manager.io/cluster-issuer": CLUSTER_ISSUER_NAME },
      hosts: [host],
      tls: [{ hosts: [host], secretName: `${input.hubSlug}-tls` }],
    },
    singleuser: {
      image: splitImageReference(spec.image),
      cpu: { guarantee: toCores(spec.cpuGuaranteeMilli), limit: toCores(spec.cpuLimitMilli) },
      memory: {
        guarantee: formatKubeSpawnerMemory(spec.memoryGuaranteeMib),
        limit: formatKubeSpawnerMemory(spec.memoryLimitMib),
      },
      storage: {
        type: "dynamic",
        capacity: `${spec.storageGib}Gi`,
        dynamic: { storageClass: input.storageClass },
      },
      defaultUrl: hubInterfaceStartPaths[spec.interface],
      startTimeout: spec.startTimeoutSeconds,
      ...(spec.autograder.isEnabled ? buildStudentModuleValues(input) : {}),
    },
    cull: {
      enabled: true,
      timeout: spec.cullTimeoutSeconds,
      every: computeCullInterval(spec.cullTimeoutSeconds),
      maxAge: spec.cullMaxAgeSeconds,
    },
    scheduling: {
      // Placeholders only yield to users when pods have priorities.
      podPriority: { enabled: true },
      // Hubfed's own placeholders (hubfed-capacity-placeholders) hold capacity,
      // scaled by the capacity plan; the chart's would be a second mechanism
      // that every Flux upgrade resets to its values.
      userPlaceholder: { enabled: false },
      userScheduler: { enabled: true },
      userPods: { nodeAffinity: { matchNodePurpose: input.userNodeAffinity } },
    },
    prePuller: {
      // The hook would hold every upgrade until all nodes pulled the image;
      // the continuous puller prepares new nodes without blocking Flux.
      hook: { enabled: false },
      // A suspended hub keeps nothing running: the puller is a pod on every user node.
      continuous: { enabled: input.isSuspended !== true },
      resources: {
        requests: { cpu: "10m", memory: "16Mi" },
        limits: { cpu: "100m", memory: "64Mi" },
      },
    },
  };
}

/**
 * The autograder in every user server: the student module (`check`,
 * `submit`) on PYTHONPATH, and enabled as a server extension for
 * jupyter_server and the classic notebook 6 alike, which serves
 * `/user/<name>/hubfed/assignments/<id>` from the portal (HUBFED_PORTAL_URL,
 * HUBFED_HUB_SLUG, the server's own API token). The chart mounts
 * extraFiles from a Secret at start.
 */
function buildStudentModuleValues(input: HubManifestInput): JsonObject {
  return {
    extraFiles: {
      "hubfed-autograder-module": {
        mountPath: `${STUDENT_MODULE_DIRECTORY}/hubfed_autograder.py`,
        stringData: studentModuleSource(),
      },
      "hubfed-autograder-jupyter-server": {
        mountPath: `${JUPYTER_SYSTEM_CONFIG_DIRECTORY}/jupyter_server_config.d/hubfed.json`,
        data: { ServerApp: { jpserver_extensions: { hubfed_autograder: true } } },
      },
      "hubfed-autograder-notebook": {
        mountPath: `${JUPYTER_SYSTEM_CONFIG_DIRECTORY}/jupyter_notebook_config.d/hubfed.json`,
        data: { NotebookApp: { nbserver_extensions: { hubfed_autograder: true } } },
      },
    },
    extraEnv: {
      PYTHONPATH: STUDENT_MODULE_DIRECTORY,
      HUBFED_PORTAL_URL: input.portalUrl,
      HUBFED_HUB_SLUG: input.hubSlug,
    },
  };
}
