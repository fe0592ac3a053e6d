import { createHash } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Cluster, DatabaseClient } from "@hubfed/db";
import { portalOidcEndpoints } from "@hubfed/identity/endpoints";
import { ensureHubOidcClient } from "@hubfed/identity/hub-clients";
import { generateSecret, sealedSecretContexts, type SecretBox } from "@hubfed/identity/secret-box";
import {
  allocateHubPorts,
  checkLocalHubHealth,
  decommissionLocalHub,
  describeLocalHubLimits,
  readLocalHubLimits,
  listActiveServers,
  localHubCallbackUrl,
  localHubOrigin,
  localHubPublicOrigin,
  localHubPaths,
  listLocalHubProcesses,
  LocalHubSupervisor,
  parseLocalHub,
  type ActiveServers,
  renderLocalHubFiles,
  writeLocalHubFiles,
  type LocalHub,
  type LocalHubInput,
} from "@hubfed/runtime-local";
import { readJupyterHubMetrics } from "@hubfed/observability";
import { z } from "zod";
import type { HubUsageProbe, HubUsageReading } from "../../metering/metering";
import { hubSpecSchema } from "@hubfed/hub-spec";
import type { HubCheckTarget } from "../hub-check";
import type { HubRuntime, HubRuntimeContext, HubWithPlacement } from "../runtime";

export interface LocalRuntimeSettings {
  db: DatabaseClient;
  secretBox: SecretBox;
  /** Where hubs keep their data: <directory>/<hub slug>. */
  hubsDirectory: string;
  /** The environment each hub's `jupyterhub` starts from; the worker passes its own. */
  hubEnvironment: NodeJS.ProcessEnv;
  onRestart?: (hubSlug: string, detail: string) => void;
  /**
   * The portal's public URL (PORTAL_URL). Hubs then sign people in at its OpenID Connect provider
   * (`<portal>/oidc`, SPEC §5): each hub is registered as a client with its exact redirect URI.
   */
  portalUrl?: string;
  /**
   * Without a portal URL, hubs fall back to a shared-password login: only for tests that exercise
   * a hub on its own. Never set by the worker; without either setting reconcile refuses.
   */
  allowPasswordSignInForTests?: boolean;
  /** How often hubs re-read a signed-in person's roles; tests shorten the federation's interval. */
  authRefreshSeconds?: number;
}

type LocalHubAuthentication = LocalHubInput["authentication"];

const noActiveServers: ActiveServers = {
  userCount: 0,
  serverCount: 0,
  readyServerCount: 0,
  servers: [],
};

/**
 * Where a cluster's hubs listen for browsers (region.yaml local.bindAddress; this machine only
 * unless configured) and the URL people use for one, from local.publicUrl with its {port}: the
 * sign-in redirect URI registered with the portal, the hub's recorded URL and so every content
 * link are built on it. The worker itself reaches the hub at the bind address.
 */
function localAddressesOf(
  cluster: Pick<Cluster, "localBindAddress" | "localPublicUrl">,
  ports: LocalHub["ports"],
): Pick<LocalHub, "ports" | "publicHost" | "publicUrl"> {
  return {
    ports,
    publicHost: cluster.localBindAddress ?? "127.0.0.1",
    publicUrl: cluster.localPublicUrl?.replaceAll("{port}", String(ports.proxyPublic)),
  };
}

/** What reconcile remembers about a local hub between runs. Tokens are sealed. */
const localRuntimeStateSchema = z.object({
  dataDirectory: z.string(),
  ports: z.object({ proxyPublic: z.number(), proxyApi: z.number(), hub: z.number() }),
  portalTokenSealed: z.string(),
  /** The `hubfed health-check` service's token; hubs provisioned before it get one at reconcile. */
  healthCheckTokenSealed: z.string().optional(),
  loginPasswordSealed: z.string(),
  configHash: z.string().optional(),
});
type LocalRuntimeState = z.infer<typeof localRuntimeStateSchema>;

function readState(value: unknown): LocalRuntimeState | undefined {
  const parsed = localRuntimeStateSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

async function directorySizeBytes(directory: string): Promise<bigint> {
  let total = 0n;
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) total += await directorySizeBytes(full);
    else if (entry.isFile()) total += BigInt((await stat(full)).size);
  }
  return total;
}

/**
 * Hubs as real JupyterHub processes on this machine (SPEC §4 "Local
 * runtime"). One supervisor per hub lives in the worker's process and
 * restarts a hub that dies; a restarted worker adopts running hubs through
 * the next reconcile.
 */
export function createLocalRuntime(
  settings: LocalRuntimeSettings,
): HubRuntime & { probeUsage: HubUsageProbe; supervisors: Map<string, LocalHubSupervisor> } {
  const supervisors = new Map<string, LocalHubSupervisor>();

  const sealHealthCheckToken = (hubId: string) =>
    settings.secretBox.seal(
      generateSecret(),
      sealedSecretContexts.hubRuntimeState(hubId, "healthCheckTokenSealed"),
    );

  async function ensureState(context: HubRuntimeContext): Promise<LocalRuntimeState> {
    const existing = readState(context.runtimeState);
    if (existing?.healthCheckTokenSealed) return existing;
    if (existing) {
      const withHealthCheck = {
        ...existing,
        healthCheckTokenSealed: sealHealthCheckToken(context.hub.id),
      };
      await context.saveRuntimeState(withHealthCheck);
      return withHealthCheck;
    }
    const others = await settings.db.hub.findMany({
      where: { id: { not: context.hub.id }, clusterId: context.hub.clusterId },
      select: { runtimeState: true },
    });
    const takenPorts = others.flatMap((other) => {
      const state = readState(other.runtimeState);
      return state ? [state.ports.proxyPublic, state.ports.proxyApi, state.ports.hub] : [];
    });
    const range = {
      first: context.hub.cluster.portRangeStart ?? 18_000,
      last: context.hub.cluster.portRangeEnd ?? 18_999,
    };
    const ports = await allocateHubPorts({ range, takenPorts });
    const state: LocalRuntimeState = {
      dataDirectory: path.join(settings.hubsDirectory, context.hub.slug),
      ports,
      portalTokenSealed: settings.secretBox.seal(
        generateSecret(),
        sealedSecretContexts.hubRuntimeState(context.hub.id, "portalTokenSealed"),
      ),
      healthCheckTokenSealed: sealHealthCheckToken(context.hub.id),
      loginPasswordSealed: settings.secretBox.seal(
        generateSecret(),
        sealedSecretContexts.hubRuntimeState(context.hub.id, "loginPasswordSealed"),
      ),
    };
    await context.saveRuntimeState(state);
    return state;
  }

  /**
   * How the hub signs people in. With the portal, the hub's client is registered (once; the
   * secret comes back as stored, so a rotated secret changes the configuration and the hub is
   * restarted with it).
   */
  async function signInFor(
    context: HubRuntimeContext,
    state: LocalRuntimeState,
  ): Promise<{ authentication: LocalHubAuthentication; detail: string }> {
    if (settings.portalUrl) {
      const client = await ensureHubOidcClient(settings.db, settings.secretBox, {
        hubId: context.hub.id,
        hubSlug: context.hub.slug,
        redirectUri: localHubCallbackUrl(localAddressesOf(context.hub.cluster, state.ports)),
      });
      const { course } = context.hub;
      const endpoints = portalOidcEndpoints(settings.portalUrl);
      return {
        authentication: {
          kind: "portal-oidc",
          issuerUrl: endpoints.issuerUrl,
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          courseSlug: course.slug,
          courseName: `${course.code}: ${course.title}`,
          // The same front page a Kubernetes hub's logout returns to.
          portalUrl: endpoints.logoutRedirectUrl,
        },
        detail: client.isNew
          ? `client ${client.clientId} registered`
          : `client ${client.clientId} already registered`,
      };
    }
    if (settings.allowPasswordSignInForTests) {
      return {
        authentication: {
          kind: "dummy",
          password: passwordSignIn(state, context.hub.id).password,
        },
        detail: "shared-password sign-in (tests only)",
      };
    }
    throw new Error(
      "The local runtime needs the portal's URL (PORTAL_URL) so that hubs sign people in there",
    );
  }

  function passwordSignIn(state: LocalRuntimeState, hubId: string) {
    return {
      kind: "dummy" as const,
      password: settings.secretBox.open(
        state.loginPasswordSealed,
        sealedSecretContexts.hubRuntimeState(hubId, "loginPasswordSealed"),
      ),
    };
  }

  async function describeHub(
    context: HubRuntimeContext,
    state: LocalRuntimeState,
    authentication: LocalHubAuthentication,
  ): Promise<LocalHub> {
    // With the portal, admin follows the course role at each sign-in. Staff listed in the
    // configuration would restart the hub, and stop every server, whenever the staff changed.
    const staff =
      authentication.kind === "dummy"
        ? await settings.db.enrollment.findMany({
            where: { courseId: context.hub.courseId, role: { in: ["INSTRUCTOR", "TA"] } },
            select: { user: { select: { username: true } } },
          })
        : [];
    return parseLocalHub({
      hubSlug: context.hub.slug,
      dataDirectory: state.dataDirectory,
      ...localAddressesOf(context.hub.cluster, state.ports),
      spec: context.spec,
      admins: staff.map((entry) => entry.user.username),
      authRefreshSeconds: settings.authRefreshSeconds,
      serviceTokens: {
        portal: settings.secretBox.open(
          state.portalTokenSealed,
          sealedSecretContexts.hubRuntimeState(context.hub.id, "portalTokenSealed"),
        ),
        healthCheck:
          state.healthCheckTokenSealed === undefined
            ? undefined
            : settings.secretBox.open(
                state.healthCheckTokenSealed,
                sealedSecretContexts.hubRuntimeState(context.hub.id, "healthCheckTokenSealed"),
              ),
      },
      authentication,
    });
  }

  /**
   * The supervisor that stops the hub: this worker's, or a new one that finds the running hub
   * through its pid file. Stopping needs only the hub's paths and ports, so nothing is written and
   * no sign-in client is registered for a hub that is being stopped.
   */
  async function supervisorForStopping(
    context: HubRuntimeContext,
    state: LocalRuntimeState,
  ): Promise<LocalHubSupervisor> {
    const existing = supervisors.get(context.hub.id);
    if (existing) return existing;
    const hub = await describeHub(context, state, passwordSignIn(state, context.hub.id));
    return new LocalHubSupervisor({ hub, environment: settings.hubEnvironment });
  }

  /** Forgets the hub's supervisor once it is stopped; the next start makes a fresh one. */
  function forgetSupervisor(hubId: string): void {
    supervisors.get(hubId)?.release();
    supervisors.delete(hubId);
  }

  function supervisorFor(hub: LocalHub, hubId: string): LocalHubSupervisor {
    const existing = supervisors.get(hubId);
    if (existing) return existing;
    const supervisor = new LocalHubSupervisor({
      hub,
      environment: settings.hubEnvironment,
      onRestart: (event) => settings.onRestart?.(hub.hubSlug, JSON.stringify(event)),
    });
    supervisors.set(hubId, supervisor);
    return supervisor;
  }

  return {
    supervisors,

    planReconcile(context) {
      let state: LocalRuntimeState | undefined;
      let authentication: LocalHubAuthentication | undefined;
      let hub: LocalHub | undefined;
      let configHash = "";
      return Promise.resolve([
        {
          name: "Allocate ports and a data directory",
          run: async () => {
            state = await ensureState(context);
            return `ports ${state.ports.proxyPublic} (public), ${state.ports.proxyApi} (proxy API), ${state.ports.hub} (hub) in ${state.dataDirectory}`;
          },
        },
        {
          name: "Register the hub with the portal's sign-in",
          run: async () => {
            if (!state) throw new Error("no runtime state");
            const signIn = await signInFor(context, state);
            authentication = signIn.authentication;
            return signIn.detail;
          },
        },
        {
          name: "Write the hub's configuration",
          run: async () => {
            if (!state || !authentication) throw new Error("no runtime state");
            hub = await describeHub(context, state, authentication);
            const files = await renderLocalHubFiles(hub);
            configHash = createHash("sha256").update(JSON.stringify(files)).digest("hex");
            await writeLocalHubFiles(hub);
            return configHash === state.configHash
              ? "configuration unchanged"
              : `${files.length} file(s) written`;
          },
        },
        {
          name: "Start JupyterHub",
          run: async () => {
            if (!state || !hub) throw new Error("no configuration");
            // A fresh supervisor for a changed configuration: the old one keeps the old ports.
            const isChanged = state.configHash !== undefined && state.configHash !== configHash;
            const supervisor = supervisorFor(hub, context.hub.id);
            const result = isChanged ? await supervisor.restart() : await supervisor.start();
            await context.saveRuntimeState({ ...state, configHash });
            return `JupyterHub ${result} (pid ${supervisor.pid ?? "?"})`;
          },
        },
      ]);
    },

    async checkReady(context) {
      const state = readState(context.runtimeState);
      if (!state) return { isReady: false, detail: "not provisioned yet" };
      const addresses = localAddressesOf(context.hub.cluster, state.ports);
      const health = await checkLocalHubHealth(addresses);
      // Operators see on the hub's page what this machine enforces for each student.
      const limits = describeLocalHubLimits(await readLocalHubLimits(state.dataDirectory));
      return {
        isReady: health.isHealthy,
        detail: health.isHealthy
          ? `JupyterHub ${health.version ?? ""} answers; ${limits}`
          : health.detail,
        url: localHubPublicOrigin(addresses),
      };
    },

    planSuspend(context) {
      const state = readState(context.runtimeState);
      return Promise.resolve([
        {
          name: "Stop JupyterHub and the users' servers",
          run: async () => {
            if (!state) return "the hub never ran";
            const before = await listLocalHubProcesses(state.dataDirectory);
            // SIGTERM: JupyterHub stops every user server, then any process left with the hub's
            // marker is stopped too. The homes, the hub's database and its configuration stay.
            await (await supervisorForStopping(context, state)).stop();
            forgetSupervisor(context.hub.id);
            return `${before.userServerPids.length} user server(s) stopped with JupyterHub; homes kept in ${localHubPaths(state.dataDirectory).homes}`;
          },
        },
      ]);
    },

    async checkStopped(context) {
      const state = readState(context.runtimeState);
      if (!state) return { isStopped: true, detail: "the hub never ran" };
      const { pids, userServerPids } = await listLocalHubProcesses(state.dataDirectory);
      return pids.length === 0
        ? { isStopped: true, detail: "no process of the hub runs" }
        : {
            isStopped: false,
            detail: `${pids.length} process(es) of the hub still run, ${userServerPids.length} of them user servers`,
          };
    },

    planRestart(context) {
      return Promise.resolve([
        {
          name: "Restart JupyterHub",
          run: async () => {
            // planReconcile's last step has just started (or adopted) the hub under this worker.
            const supervisor = supervisors.get(context.hub.id);
            if (!supervisor) throw new Error("JupyterHub is not supervised by this worker");
            const previousPid = supervisor.pid;
            await supervisor.restart();
            return `JupyterHub restarted (pid ${previousPid ?? "?"} → ${supervisor.pid ?? "?"})`;
          },
        },
      ]);
    },

    planDecommission(context) {
      const state = readState(context.runtimeState);
      return Promise.resolve([
        {
          name: "Stop JupyterHub and archive the home directories",
          run: async () => {
            if (!state) return "the hub never ran";
            const supervisor = await supervisorForStopping(context, state);
            const archives = await decommissionLocalHub({ hub: supervisor.hub, supervisor });
            forgetSupervisor(context.hub.id);
            return `${archives.length} home(s) archived in ${localHubPaths(state.dataDirectory).archive}`;
          },
        },
      ]);
    },

    hubApiAccess(context) {
      const state = readState(context.runtimeState);
      if (!state) return Promise.reject(new Error(`hub ${context.hub.slug} was never provisioned`));
      return Promise.resolve({
        apiUrl: `${localHubOrigin(localAddressesOf(context.hub.cluster, state.ports))}/hub/api`,
        token: settings.secretBox.open(
          state.portalTokenSealed,
          sealedSecretContexts.hubRuntimeState(context.hub.id, "portalTokenSealed"),
        ),
      });
    },

    async probeUsage(hub): Promise<HubUsageReading> {
      const state = readState(
        (
          await settings.db.hub.findUniqueOrThrow({
            where: { id: hub.id },
            select: { runtimeState: true },
          })
        ).runtimeState,
      );
      if (!state) throw new Error(`hub ${hub.slug} has no runtime state`);
      const spec = hubSpecSchema.parse(hub.spec);
      const cluster = await settings.db.cluster.findUniqueOrThrow({
        where: { id: hub.clusterId },
        select: { localBindAddress: true, localPublicUrl: true },
      });
      const endpoint = localAddressesOf(cluster, state.ports);
      const portalToken = settings.secretBox.open(
        state.portalTokenSealed,
        sealedSecretContexts.hubRuntimeState(hub.id, "portalTokenSealed"),
      );
      const listServers = () =>
        listActiveServers(endpoint, portalToken, { timeoutMs: hub.isStopped ? 2_000 : 10_000 });
      // A suspended hub is down and answers nothing: only its homes count. Should it answer
      // after all, its servers are billed like any others.
      const servers: ActiveServers = hub.isStopped
        ? await listServers().catch(() => noActiveServers)
        : await listServers();
      // The hub's own metrics are extra: a hub that cannot serve them (stopped, or its config not
      // yet rewritten with read:metrics) is still metered and billed from the figures above.
      const hubMetrics = hub.isStopped
        ? null
        : await readJupyterHubMetrics(localHubOrigin(endpoint), portalToken).catch(() => null);
      const storageBytes = await directorySizeBytes(localHubPaths(state.dataDirectory).homes);
      return {
        activeUsers: servers.userCount,
        runningServers: servers.serverCount,
        requestedMemoryMib: servers.serverCount * spec.memoryGuaranteeMib,
        requestedMilliCpu: servers.serverCount * spec.cpuGuaranteeMilli,
        storageMib: storageBytes / (1024n * 1024n),
        source: "hub-api",
        hubMetrics,
        lastActivityAt: servers.servers.reduce<Date | null>(
          (latest, server) =>
            server.lastActivityAt && (!latest || server.lastActivityAt > latest)
              ? server.lastActivityAt
              : latest,
          null,
        ),
      };
    },
  };
}

/**
 * Where `hubfed health-check` reaches a local hub, with its health-check service's token (whose
 * role covers the health-check user only: runtime-local's config).
 */
export function localHubCheckTarget(
  hub: Pick<HubWithPlacement, "id" | "slug" | "url" | "runtimeState">,
  secretBox: SecretBox,
): HubCheckTarget {
  const state = readState(hub.runtimeState);
  if (!state || !hub.url) throw new Error(`hub ${hub.slug} has not been provisioned yet`);
  if (!state.healthCheckTokenSealed)
    throw new Error(
      `hub ${hub.slug} was provisioned before health checks: reconcile it once (it gets its health-check service)`,
    );
  return {
    hubUrl: hub.url,
    token: secretBox.open(
      state.healthCheckTokenSealed,
      sealedSecretContexts.hubRuntimeState(hub.id, "healthCheckTokenSealed"),
    ),
  };
}
