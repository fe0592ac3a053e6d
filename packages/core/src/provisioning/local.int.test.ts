import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { createInMemoryJobQueues } from "@hubfed/jobs";
import { createSecretBox, generateSecret, sealedSecretContexts } from "@hubfed/identity/secret-box";
import { loadHubMetricsSummary, sampleHubUsage } from "../metering";
import { approveRequest } from "../requests/approval";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { runHubfedCommand } from "../testing/hubfed-command";
import { decommissionHub } from "./decommission";
import { checkHubHealth } from "./health-check";
import { reconcileHub } from "./reconcile";
import { runHubCheck } from "./hub-check";
import { hubPlacementInclude, loadHubWithPlacement, runtimeContextFor } from "./runtime";
import { createLocalRuntime, localHubCheckTarget } from "./runtimes/local";
import { createTemporaryHubsDirectory, releaseLocalHubsUnder } from "@hubfed/runtime-local";

// The local runtime with a real JupyterHub process: approval → reconcile →
// the hub, registered as a client of the portal's sign-in, answers /hub/api/;
// a rotated client secret restarts it with the new one; killed, it is
// restarted and back to READY; decommissioned, it stops and its homes are
// archived. (The sign-in itself: runtime-local's portal-sign-in.int.test.ts.)

/** Every hubs directory this file made: the accounts and home file systems in them go at the end. */
const hubsDirectories: string[] = [];
async function temporaryHubsDirectory(): Promise<string> {
  const directory = await createTemporaryHubsDirectory("hubfed-local-hubs-");
  hubsDirectories.push(directory);
  return directory;
}

const database = useTestDatabase();
// The tests run each reconcile themselves; the approval's queued job is not needed.
const queues = createInMemoryJobQueues();
let runtime: ReturnType<typeof createLocalRuntime>;
let hubId = "";
const secretKey = randomBytes(32).toString("base64");
const secretBox = createSecretBox(secretKey);
// Only written into the hub's configuration: starting a hub needs no portal.
const portalUrl = "http://127.0.0.1:9";

/** One reconcile of the test's hub, as the worker runs it (within the tests' own timeouts). */
function reconcileOnLocalRuntime(trigger: "approval" | "drift") {
  return reconcileHub(database().db, {
    hubId,
    trigger,
    runtimeFor: () => runtime,
    workerId: "worker-local",
    isLastAttempt: true,
    readyPollMs: 250,
    readyTimeoutMs: 60_000,
  });
}

async function configOf(hubIdentifier: string) {
  const hub = await database().db.hub.findUniqueOrThrow({ where: { id: hubIdentifier } });
  const { dataDirectory } = hub.runtimeState as { dataDirectory: string };
  const file = path.join(dataDirectory, "jupyterhub_config.py");
  return { text: await readFile(file, "utf8"), mode: (await stat(file)).mode & 0o777 };
}

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  const hubsDirectory = await temporaryHubsDirectory();
  runtime = createLocalRuntime({
    db,
    secretBox,
    hubsDirectory,
    hubEnvironment: process.env,
    portalUrl,
  });
  const ops = await actorFor(db, "ops@hubfed.example");
  // The seeded request waiting for review, approved onto the local VM with the on-prem pool.
  const request = await db.hubRequest.findFirstOrThrow({ where: { status: "SUBMITTED" } });
  const cluster = await db.cluster.findFirstOrThrow({ where: { slug: "local-vm" } });
  const pool = await db.creditPool.findUniqueOrThrow({ where: { slug: "west-valley-onprem" } });
  const { hub } = await approveRequest(
    { db, actor: ops, queues },
    { requestId: request.id, clusterId: cluster.id, creditPoolId: pool.id },
  );
  hubId = hub.id;
}, 60_000);

afterAll(async () => {
  for (const supervisor of runtime.supervisors.values()) await supervisor.stop();
  for (const directory of hubsDirectories) await releaseLocalHubsUnder(directory);
});

describe("provisioning on the local runtime", () => {
  it("starts a real JupyterHub that answers /hub/api/ and marks the hub READY", async () => {
    const db = database().db;
    const outcome = await reconcileOnLocalRuntime("approval");
    expect(outcome.outcome).toBe("converged");
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    expect(hub.status).toBe("READY");
    expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:18\d{3}$/);
    const answer = (await (await fetch(`${hub.url}/hub/api/`)).json()) as { version: string };
    expect(answer.version).toMatch(/^\d+\.\d+/);

    // Registered with the portal's sign-in under its exact callback, and configured for it.
    const client = await db.hubOidcClient.findUniqueOrThrow({ where: { hubId } });
    expect(client.clientId).toBe(`hub-${hub.slug}`);
    expect(client.redirectUris).toEqual([`${hub.url}/hub/oauth_callback`]);
    const config = await configOf(hubId);
    expect(config.mode).toBe(0o600);
    expect(config.text).toContain("c.JupyterHub.authenticator_class = PortalOidcAuthenticator");
    expect(config.text).toContain(
      `c.PortalOidcAuthenticator.issuer_url = "${portalUrl}/oidc"\nc.PortalOidcAuthenticator.client_id = "${client.clientId}"\nc.PortalOidcAuthenticator.client_secret = "${secretBox.open(client.clientSecretEncrypted, sealedSecretContexts.hubOidcClientSecret(hubId))}"`,
    );
    expect(config.text).toContain(
      `c.PortalOidcAuthenticator.callback_url = "${hub.url}/hub/oauth_callback"`,
    );
    const run = await db.provisioningRun.findFirstOrThrow({
      where: { hubId },
      orderBy: { queuedAt: "asc" },
      include: { steps: { orderBy: { position: "asc" } } },
    });
    expect(run.steps.map((step) => [step.name, step.detail])).toContainEqual([
      "Register the hub with the portal's sign-in",
      `client ${client.clientId} registered`,
    ]);
    // The hub's page tells operators what this machine enforces for each student.
    expect(run.steps.map((step) => step.detail ?? "").join("\n")).toMatch(
      /limits per student: (cgroup v2|cgroup v1|per process only)[^\n]*; storage: /,
    );
    // Reconciling again keeps the running hub (no restart).
    const pidBefore = runtime.supervisors.get(hubId)?.pid;
    await reconcileOnLocalRuntime("drift");
    expect(runtime.supervisors.get(hubId)?.pid).toBe(pidBefore);
  }, 120_000);

  it("passes the health check: the health-check user gets a server, runs a cell, and the server stops", async () => {
    const db = database().db;
    const hub = await db.hub.findUniqueOrThrow({
      where: { id: hubId },
      include: hubPlacementInclude,
    });
    const target = localHubCheckTarget(hub, secretBox);
    const report = await runHubCheck(target, { pollMs: 250, serverStartTimeoutMs: 60_000 });
    console.log(
      `health check: ${report.steps.map((step) => `${step.name} ${step.durationMs} ms`).join("; ")}`,
    );
    expect(report.steps.map((step) => [step.name, step.isOk, step.detail])).toEqual([
      ["Reach the hub's API", true, expect.stringMatching(/^JupyterHub \d/) as string],
      ["Sign in as hubfed-health-check", true, "user created"],
      ["Start a server", true, "the server is ready"],
      ["Start a kernel", true, "kernel python3"],
      ["Run a cell", true, "print(6 * 7) → 42"],
      ["Stop the server", true, "the server stopped"],
    ]);
    expect(report.isHealthy).toBe(true);

    // A token the hub does not know fails at the first step that needs it, with the reason.
    const refused = await runHubCheck({ ...target, token: "not-the-hubs-token-0123456789" });
    expect(refused.isHealthy).toBe(false);
    expect(refused.steps.at(-1)).toMatchObject({
      name: "Sign in as hubfed-health-check",
      isOk: false,
      detail: expect.stringMatching(/HTTP 403/) as string,
    });

    // The command line: the hub found by slug in the database, its token unsealed, each step printed.
    const { stdout, exitCode } = await runHubfedCommand(["health-check", hub.slug], {
      DATABASE_URL: database().url,
      HUBFED_SECRET_KEY: secretKey,
    });
    expect(exitCode).toBe(0);
    expect(stdout).toContain("ok   Run a cell");
    expect(stdout).toContain(`hub ${hub.slug} is healthy`);
  }, 180_000);

  it("meters the hub with its own JupyterHub metrics in the usage sample", async () => {
    const db = database().db;
    const result = await sampleHubUsage(db, (kind) =>
      kind === "LOCAL" ? runtime.probeUsage : undefined,
    );
    expect(result).toEqual({ sampled: 1, errors: [] });
    const sample = await db.usageSample.findFirstOrThrow({ where: { hubId } });
    // Scraped from /hub/metrics with the portal service's token (read:metrics). The health
    // check above started (and stopped) one server: one spawn, none failed, none running now;
    // Debian's JupyterHub 3 has no active-users gauge.
    expect(sample).toMatchObject({
      source: "hub-api",
      runningServers: 0,
      hubSpawnsFailed: 0,
    });
    // Counted per spawn (the health check's, and its user's server once more on some runs).
    expect(sample.hubSpawnsSucceeded).toBeGreaterThanOrEqual(1);
    expect(sample.hubSpawnSecondsSum).toBeGreaterThan(0);
    const ops = await actorFor(db, "ops@hubfed.example");
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    const summary = await loadHubMetricsSummary(db, ops, { slug: hub.slug });
    expect(summary.sampledAt).toEqual(sample.sampledAt);
    // Spawns in the summary are the increase between samples: one sample, nothing counted yet.
    expect(summary).toMatchObject({ spawns: 0 });
  }, 60_000);

  it("restarts the hub with a rotated client secret at the next reconcile", async () => {
    const db = database().db;
    const pidBefore = runtime.supervisors.get(hubId)?.pid;
    expect(pidBefore).toBeDefined();
    // What rotation does to the stored client: a new sealed secret.
    const rotatedSecret = generateSecret();
    await db.hubOidcClient.update({
      where: { hubId },
      data: {
        clientSecretEncrypted: secretBox.seal(
          rotatedSecret,
          sealedSecretContexts.hubOidcClientSecret(hubId),
        ),
        rotatedAt: new Date(),
      },
    });
    const outcome = await reconcileOnLocalRuntime("drift");
    expect(outcome.outcome).toBe("converged");
    expect((await configOf(hubId)).text).toContain(
      `c.PortalOidcAuthenticator.client_secret = "${rotatedSecret}"`,
    );
    const supervisor = runtime.supervisors.get(hubId);
    expect(supervisor?.pid).toBeDefined();
    expect(supervisor?.pid).not.toBe(pidBefore);
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("READY");
  }, 120_000);

  it("restarts a hub whose process was killed, and health goes DEGRADED and back to READY", async () => {
    const db = database().db;
    const supervisor = runtime.supervisors.get(hubId);
    const pid = supervisor?.pid;
    expect(pid).toBeDefined();
    process.kill(pid ?? 0, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const whileDown = await checkHubHealth(db, () => runtime);
    expect(whileDown).toEqual([{ hubSlug: expect.any(String) as string, status: "DEGRADED" }]);
    await supervisor?.waitUntilReady({ timeoutMs: 60_000 });
    expect(supervisor?.pid).not.toBe(pid);
    const afterRestart = await checkHubHealth(db, () => runtime);
    expect(afterRestart.map((change) => change.status)).toEqual(["READY"]);
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("READY");
  }, 120_000);

  it("serves other machines at the cluster's bind address, and signs people in at its public URL", async () => {
    const db = database().db;
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    // This machine's own address on its network: what a student's laptop would connect to.
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((address) => address?.family === "IPv4" && !address.internal)?.address;
    expect(lan, "the machine has a non-loopback IPv4 address").toBeDefined();
    const viaLan = (port: number) =>
      fetch(`http://${lan}:${port}/hub/api/`, { signal: AbortSignal.timeout(3_000) }).then(
        (response) => response.status,
        () => "refused",
      );
    const { proxyPublic } = (hub.runtimeState as { ports: { proxyPublic: number } }).ports;
    // By default a hub serves this machine only.
    expect(await viaLan(proxyPublic)).toBe("refused");

    // region.yaml: local.bindAddress 0.0.0.0, local.publicUrl behind a TLS terminator.
    await db.cluster.update({
      where: { id: hub.clusterId },
      data: { localBindAddress: "0.0.0.0", localPublicUrl: "https://hubs.college.test:{port}" },
    });
    try {
      expect((await reconcileOnLocalRuntime("drift")).outcome).toBe("converged");
      const served = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
      const publicOrigin = `https://hubs.college.test:${proxyPublic}`;
      // The recorded URL (content links and My hubs use it) and the sign-in redirect are public.
      expect(served.url).toBe(publicOrigin);
      const client = await db.hubOidcClient.findUniqueOrThrow({ where: { hubId } });
      expect(client.redirectUris).toEqual([`${publicOrigin}/hub/oauth_callback`]);
      const config = (await configOf(hubId)).text;
      expect(config).toContain(`c.JupyterHub.bind_url = "http://0.0.0.0:${proxyPublic}/"`);
      expect(config).toContain(
        `c.PortalOidcAuthenticator.callback_url = "${publicOrigin}/hub/oauth_callback"`,
      );
      // Another machine reaches it; the worker still does, at the bind address.
      expect(await viaLan(proxyPublic)).toBe(200);
      expect(served.status).toBe("READY");
    } finally {
      await db.cluster.update({
        where: { id: hub.clusterId },
        data: { localBindAddress: null, localPublicUrl: null },
      });
      expect((await reconcileOnLocalRuntime("drift")).outcome).toBe("converged");
    }
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).url).toMatch(
      /^http:\/\/127\.0\.0\.1:18\d{3}$/,
    );
    expect(await viaLan(proxyPublic)).toBe("refused");
  }, 240_000);

  it("refuses to configure a hub that would have no way to sign people in", async () => {
    const db = database().db;
    const withoutPortal = createLocalRuntime({
      db,
      secretBox,
      hubsDirectory: await temporaryHubsDirectory(),
      hubEnvironment: process.env,
    });
    const hub = await loadHubWithPlacement(db, hubId);
    if (!hub) throw new Error("no hub");
    const steps = await withoutPortal.planReconcile(runtimeContextFor(db, hub));
    expect(steps.map((step) => step.name).slice(0, 3)).toEqual([
      "Allocate ports and a data directory",
      "Register the hub with the portal's sign-in",
      "Write the hub's configuration",
    ]);
    await steps[0]?.run();
    await expect(steps[1]?.run()).rejects.toThrow(/needs the portal's URL \(PORTAL_URL\)/);
  });

  it("decommissions: the process stops, homes are archived, the hub is ARCHIVED", async () => {
    const db = database().db;
    const hub = await db.hub.update({ where: { id: hubId }, data: { status: "DECOMMISSIONING" } });
    const state = hub.runtimeState as { dataDirectory: string };
    // A student's work in their home directory.
    await mkdir(path.join(state.dataDirectory, "homes", "jordan-lee"), { recursive: true });
    await writeFile(path.join(state.dataDirectory, "homes", "jordan-lee", "lab1.ipynb"), "{}");
    const result = await decommissionHub(db, {
      hubId,
      runtimeFor: () => runtime,
      workerId: "worker-local",
    });
    expect(result.outcome).toBe("archived");
    expect((await db.hub.findUniqueOrThrow({ where: { id: hubId } })).status).toBe("ARCHIVED");
    const answered = await fetch(`${hub.url ?? ""}/hub/api/`).then(
      () => true,
      () => false,
    );
    expect(answered).toBe(false);
    expect(await readdir(path.join(state.dataDirectory, "archive"))).toEqual(["jordan-lee.tar.gz"]);
    expect(existsSync(path.join(state.dataDirectory, "homes", "jordan-lee"))).toBe(false);
  }, 120_000);
});
