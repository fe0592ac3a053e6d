// `npm test` (after scripts/test.mjs installed the dependencies): lint,
// typecheck, unit, integration and end-to-end tests, in that order. Every
// stage runs even when an earlier one failed, so one run shows everything;
// the exit code is non-zero when any stage failed.
import { spawn } from "node:child_process";
import path from "node:path";
import {
  createTemporaryHubsDirectory,
  releaseLocalHubsUnder,
  stopLocalHubProcessesUnder,
} from "@hubfed/runtime-local";
import {
  findFreePort,
  startTestServices,
  type ManagedProcess,
  type TestServices,
  ensureDebianPackages,
  jupyterHubPackages,
  chromiumPackages,
} from "@hubfed/stack";
import {
  bringUpDemoHubs,
  buildPortal,
  isPortalBuildStale,
  prepareDatabase,
  recreateDatabase,
  repositoryRoot,
  startFederationProcesses,
  startDemoCampusSignIn,
  startDemoKubernetesApi,
} from "./federation";
import { endToEndSignInAccounts } from "../e2e/support/accounts";
import { startContentRepositoryServers } from "./content-repositories";

const chromiumPath = process.env.HUBFED_CHROMIUM ?? "/usr/bin/chromium";
const log = (line: string) => console.log(line);

function runStage(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repositoryRoot, stdio: "inherit", env });
    child.on("exit", (code) => resolve(code === 0));
  });
}

const bin = (name: string) => path.join(repositoryRoot, "node_modules/.bin", name);

async function runEndToEndTests(services: TestServices): Promise<boolean> {
  ensureDebianPackages(chromiumPackages, log);
  if (isPortalBuildStale()) {
    log("[test] building the portal (production mode)…");
    await buildPortal(log);
  }
  const databaseUrl = await recreateDatabase(services.databaseAdminUrl, "hubfed_e2e");
  await prepareDatabase(databaseUrl, log);
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const workerProbePort = await findFreePort();
  // /metrics behind a bearer token, as a deployment would run it (docs/observability.md).
  const metricsToken = "e2e-metrics-token-0123456789";
  // Redis database 1 keeps the end-to-end federation's queues apart from the integration tests'.
  const redisUrl = `${services.redisUrl}/1`;
  const quiet = process.env.HUBFED_E2E_SERVER_LOGS === "1" ? log : () => undefined;
  const hubsDirectory = await createTemporaryHubsDirectory("hubfed-e2e-hubs-");
  let processes: ManagedProcess[] = [];
  // The us-west clusters point at 127.0.0.1:6443: the journeys provision hubs there.
  const kubernetesApi = await startDemoKubernetesApi(quiet);
  const secretKey = Buffer.alloc(32, 7).toString("base64");
  const campus = await startDemoCampusSignIn({ databaseUrl, publicUrl: baseUrl, secretKey }, quiet);
  // Content links: a fake GitHub to check them, local git copies for nbgitpuller to clone.
  const content = await startContentRepositoryServers();
  try {
    processes = await startFederationProcesses(
      {
        databaseUrl,
        redisUrl,
        port,
        host: "127.0.0.1",
        nextAuthSecret: "e2e-secret-e2e-secret-e2e-secret-0123",
        secretKey,
        hubsDirectory,
        gitopsDirectory: path.join(hubsDirectory, "..", `${path.basename(hubsDirectory)}-gitops`),
        publicUrl: baseUrl,
        workerProbePort,
        environment: {
          ...content.environment,
          HUBFED_METRICS_TOKEN: metricsToken,
          // The development sign-in takes only the demo's accounts and the ones listed here.
          HUBFED_DEV_SIGN_IN_ACCOUNTS: endToEndSignInAccounts.join(","),
        },
      },
      quiet,
    );
    // The demo's hubs on the Portal VM, as `npm start` brings them up (the tour journey uses them).
    await bringUpDemoHubs({ databaseUrl, redisUrl, publicUrl: baseUrl }, log);
    // `npm test -- --only=playwright e2e/identity` runs just those journeys while developing.
    const journeys = process.argv.slice(2).filter((argument) => argument.startsWith("e2e/"));
    return await runStage(bin("playwright"), ["test", ...journeys], {
      ...process.env,
      E2E_BASE_URL: baseUrl,
      E2E_DATABASE_URL: databaseUrl,
      E2E_REDIS_URL: redisUrl,
      E2E_WORKER_URL: `http://127.0.0.1:${workerProbePort}`,
      E2E_METRICS_TOKEN: metricsToken,
      HUBFED_CHROMIUM: chromiumPath,
    });
  } finally {
    await Promise.all(processes.map((managed) => managed.stop()));
    await kubernetesApi?.stop();
    await campus?.stop();
    await content.stop();
    // Local hubs outlive the worker by design; the ones this run made go with it.
    await stopLocalHubProcessesUnder(hubsDirectory);
    // And what they made on the machine: students' accounts, home file systems, cgroups.
    await releaseLocalHubsUnder(hubsDirectory);
  }
}

/** `npm test -- --only=e2e` (or lint, typecheck, vitest) runs just those stages while developing. */
const onlyStages = process.argv
  .find((argument) => argument.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");

async function main(): Promise<void> {
  const results: Array<[string, boolean]> = [];
  const stage = async (name: string, work: () => Promise<boolean>) => {
    if (
      onlyStages &&
      !onlyStages.some((only) => name.startsWith(only) || name.includes(`(${only})`))
    )
      return;
    log(`\n=== ${name} ===`);
    const startedAt = Date.now();
    let isPassing = false;
    try {
      isPassing = await work();
    } catch (error) {
      log(`[test] ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    log(
      `=== ${name}: ${isPassing ? "passed" : "FAILED"} in ${Math.round((Date.now() - startedAt) / 1000)} s ===`,
    );
    results.push([name, isPassing]);
  };

  await stage("lint", () => runStage("npm", ["run", "--silent", "lint"]));
  await stage("typecheck", () => runStage("npm", ["run", "--silent", "typecheck"]));

  ensureDebianPackages(jupyterHubPackages, log);
  log("\n[test] starting PostgreSQL and Redis for the test run…");
  const services = await startTestServices({
    databaseAdminUrl: process.env.TEST_DATABASE_ADMIN_URL,
    redisUrl: process.env.TEST_REDIS_URL,
  });
  try {
    const testEnvironment = {
      ...process.env,
      TEST_DATABASE_ADMIN_URL: services.databaseAdminUrl,
      TEST_REDIS_URL: services.redisUrl,
    };
    await stage("unit and integration tests (vitest)", () =>
      runStage(bin("vitest"), ["run"], testEnvironment),
    );
    await stage("end-to-end tests (playwright)", () => runEndToEndTests(services));
  } finally {
    await services.stop();
  }

  log("\n=== summary ===");
  for (const [name, isPassing] of results) log(`${isPassing ? "passed" : "FAILED"}  ${name}`);
  const failed = results.filter(([, isPassing]) => !isPassing).length;
  log(
    failed === 0
      ? `summary: all ${results.length} stages passed`
      : `summary: ${failed} of ${results.length} stages failed`,
  );
  process.exit(failed === 0 ? 0 : 1);
}

void main();
