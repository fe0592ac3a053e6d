// `npm start` (after scripts/start.mjs installed the dependencies): the whole
// federation on this machine. See docs/adr/0002-embedded-services.md.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { demoUsers, formatDemoTour, isAppError } from "@hubfed/core";
import {
  startEmbeddedPostgres,
  startRedis,
  type SupervisedProcess,
  ensureDebianPackages,
  jupyterHubPackages,
} from "@hubfed/stack";
import {
  bringUpDemoHubs,
  buildPortal,
  isPortalBuildStale,
  prepareDatabase,
  repositoryRoot,
  startFederationProcesses,
  startDemoCampusSignIn,
  startDemoKubernetesApi,
} from "./federation";
import { startContentRepositoryServers } from "./content-repositories";

const log = (line: string) => console.log(line);
const dataDirectory = path.resolve(
  process.env.HUBFED_DATA_DIR ?? path.join(repositoryRoot, ".data"),
);
const port = Number(process.env.HUBFED_PORT ?? 3000);
// The worker's /livez, /readyz and /metrics (docs/observability.md).
const workerProbePort = Number(process.env.HUBFED_WORKER_PROBE_PORT ?? port + 1);
const host = process.env.HUBFED_HOST ?? "127.0.0.1";
const publicUrl = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;

/** Secrets generated on the first start and kept in the data directory, so sessions survive restarts. */
function loadOrCreateSecrets(): { nextAuthSecret: string; secretKey: string } {
  const file = path.join(dataDirectory, "secrets.json");
  const stored = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as Partial<{
        nextAuthSecret: string;
        secretKey: string;
      }>)
    : {};
  const secrets = {
    nextAuthSecret: stored.nextAuthSecret ?? randomBytes(32).toString("base64url"),
    secretKey: stored.secretKey ?? randomBytes(32).toString("base64"),
  };
  if (stored.nextAuthSecret !== secrets.nextAuthSecret || stored.secretKey !== secrets.secretKey) {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

async function main(): Promise<void> {
  mkdirSync(dataDirectory, { recursive: true, mode: 0o755 });
  const cleanups: Array<() => Promise<void>> = [];
  let processes: SupervisedProcess[] = [];
  let isStopping = false;
  const stopEverything = async (exitCode: number) => {
    if (isStopping) return;
    isStopping = true;
    log("[hubfed] stopping…");
    await Promise.all(processes.map((managed) => managed.stop()));
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error: unknown) => log(`[hubfed] ${String(error)}`));
    log("[hubfed] stopped");
    process.exit(exitCode);
  };
  process.on("SIGINT", () => void stopEverything(0));
  process.on("SIGTERM", () => void stopEverything(0));

  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      const postgresPort = Number(process.env.HUBFED_POSTGRES_PORT ?? 54329);
      log(
        `[hubfed] starting embedded PostgreSQL on port ${postgresPort} (data in ${path.join(dataDirectory, "postgres")})`,
      );
      const postgres = await startEmbeddedPostgres({
        dataDirectory: path.join(dataDirectory, "postgres"),
        port: postgresPort,
      });
      cleanups.push(() => postgres.stop());
      await postgres.ensureDatabase("hubfed");
      databaseUrl = postgres.urlFor("hubfed");
    }
    let redisUrl = process.env.REDIS_URL;
    if (!redisUrl) {
      const redisPort = Number(process.env.HUBFED_REDIS_PORT ?? 63790);
      log(`[hubfed] starting redis-server on port ${redisPort}`);
      const redis = await startRedis({
        dataDirectory: path.join(dataDirectory, "redis"),
        port: redisPort,
        isPersistent: true,
        log: () => undefined,
      });
      cleanups.push(() => redis.stop());
      redisUrl = redis.url;
    }

    try {
      ensureDebianPackages(jupyterHubPackages, log);
    } catch (error) {
      log(
        `[hubfed] local hubs will not start: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await prepareDatabase(databaseUrl, log);
    if (isPortalBuildStale()) {
      log("[hubfed] building the portal (production mode)…");
      await buildPortal(log);
    }
    const { nextAuthSecret, secretKey } = loadOrCreateSecrets();
    const kubernetesApi = await startDemoKubernetesApi(log);
    if (kubernetesApi) cleanups.push(() => kubernetesApi.stop());
    const campus = await startDemoCampusSignIn({ databaseUrl, publicUrl, secretKey }, log);
    if (campus) cleanups.push(() => campus.stop());
    // Content links are checked against a local fake GitHub and cloned from local copies,
    // unless a real GitHub API is configured.
    const content = process.env.HUBFED_GITHUB_API_URL
      ? undefined
      : await startContentRepositoryServers();
    if (content) cleanups.push(() => content.stop());
    processes = await startFederationProcesses(
      {
        databaseUrl,
        redisUrl,
        port,
        host,
        nextAuthSecret,
        secretKey,
        hubsDirectory: path.join(dataDirectory, "hubs"),
        gitopsDirectory: path.join(dataDirectory, "gitops"),
        publicUrl,
        environment: content?.environment,
        workerProbePort,
      },
      log,
    );
    // A crashed portal or worker is started again by its supervisor while the rest keeps
    // serving; only one that keeps crashing stops the federation.
    for (const managed of processes) {
      void managed.exited.then((code) => {
        if (isStopping) return;
        log(`[hubfed] ${managed.name} keeps crashing (last exit code ${code}); giving up`);
        void stopEverything(1);
      });
    }

    await bringUpDemoHubs({ databaseUrl, redisUrl, publicUrl }, log);

    const width = Math.max(...demoUsers.map((user) => user.email.length));
    log("");
    log(`  Hubfed is running at ${publicUrl}`);
    log("");
    for (const line of formatDemoTour(publicUrl)) log(`  ${line}`);
    log("");
    log("  Every demo sign-in (development sign-in, no password):");
    for (const user of demoUsers) log(`    ${user.email.padEnd(width)}  ${user.description}`);
    log(`  Health: ${publicUrl}/api/health. Press Ctrl-C to stop.`);
    log(
      `  Metrics (from this machine): ${publicUrl}/metrics and http://127.0.0.1:${workerProbePort}/metrics`,
    );
    log("");
  } catch (error) {
    log(
      `[hubfed] could not start:\n${isAppError(error) || error instanceof Error ? error.message : String(error)}`,
    );
    await stopEverything(1);
  }
}

void main();
