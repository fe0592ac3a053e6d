import os from "node:os";
import path from "node:path";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import nodemailer from "nodemailer";
import {
  countHubsByStatus,
  createHealthMonitor,
  createLinkVerifier,
  loadPlannedHubs,
} from "@hubfed/core";
import { createGradingSandboxes } from "@hubfed/core/grading-sandboxes";
import { createKubernetesRuntime, createLocalRuntime } from "@hubfed/core/runtimes";
import { createDatabaseClient, type Cluster } from "@hubfed/db";
import { createSecretBox } from "@hubfed/identity/secret-box";
import { createBullMqJobQueues, queueNames, redisConnectionFromUrl } from "@hubfed/jobs";
import { createLogger, createWorkerMetrics, type Logger } from "@hubfed/observability";
import { workerDependencyTimeouts } from "./dependency-timeouts";
import { environmentForLocalHubs, gitOpsSettingsOf, parseWorkerEnvironment } from "./env";
import { createProcessor, processedQueues } from "./processors";
import { startProbeServer } from "./probes";

// Replaced by the configured logger as soon as the environment is read.
let log: Logger = createLogger({ component: "worker" });

async function main(): Promise<void> {
  const environment = parseWorkerEnvironment();
  log = createLogger({ component: "worker", level: environment.LOG_LEVEL });
  const workerId = environment.WORKER_ID ?? `${os.hostname()}:${process.pid}`;
  const connection = redisConnectionFromUrl(environment.REDIS_URL);
  const db = createDatabaseClient({
    databaseUrl: environment.DATABASE_URL,
    maxConnections: environment.WORKER_CONCURRENCY + 2,
    ...workerDependencyTimeouts.database,
  });
  const redis = new Redis(environment.REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createBullMqJobQueues(connection, {
    answerWithinMs: workerDependencyTimeouts.queueAddMs,
  });
  await queues.scheduleRepeatableJobs();
  const metrics = createWorkerMetrics({
    queueDepths: () => queues.countJobs(),
    hubsByStatus: () => countHubsByStatus(db),
  });

  const mail = environment.SMTP_URL
    ? {
        transport: nodemailer.createTransport(environment.SMTP_URL),
        from: environment.SMTP_FROM,
        portalUrl: environment.PORTAL_URL,
      }
    : undefined;
  const secretBox = createSecretBox(
    environment.HUBFED_SECRET_KEY,
    environment.HUBFED_PREVIOUS_SECRET_KEYS,
  );
  const localRuntime = createLocalRuntime({
    db,
    secretBox,
    hubsDirectory: path.resolve(environment.HUBFED_HUBS_DIR),
    hubEnvironment: environmentForLocalHubs(),
    // Hubs sign people in at the portal's OpenID Connect provider.
    portalUrl: environment.PORTAL_URL,
    onRestart: (hubSlug, detail) => log.warn({ hubSlug, detail }, "local hub restarted"),
  });
  const kubernetesRuntime = createKubernetesRuntime({
    db,
    secretBox,
    portalUrl: environment.PORTAL_URL,
    ingressControllerNamespace: environment.HUBFED_INGRESS_NAMESPACE,
    inCluster: {
      serviceHost: environment.KUBERNETES_SERVICE_HOST,
      servicePort: environment.KUBERNETES_SERVICE_PORT,
    },
  });
  const dependencies = {
    db,
    redis,
    queues,
    workerId,
    mail,
    endOfTermGraceDays: environment.HUBFED_END_OF_TERM_GRACE_DAYS,
    verifyLink: createLinkVerifier({
      githubApiUrl: environment.HUBFED_GITHUB_API_URL,
      githubToken: environment.HUBFED_GITHUB_TOKEN,
    }),
    gitOpsSettings: gitOpsSettingsOf(environment),
    runtimeFor: (cluster: Cluster) =>
      cluster.runtime === "LOCAL" ? localRuntime : kubernetesRuntime,
    // Local hubs are metered from their hub API, Kubernetes hubs from their pods and volumes.
    usageProbeFor: (runtime: "LOCAL" | "KUBERNETES") =>
      runtime === "LOCAL" ? localRuntime.probeUsage : kubernetesRuntime.probeUsage,
    placeholderScaler: kubernetesRuntime,
    // planCapacity over the calendars in the database (capacity/plan-from-database.ts).
    loadCapacityPlans: loadPlannedHubs,
    gradingSandboxFor: createGradingSandboxes({
      workRoot: path.resolve(environment.HUBFED_GRADING_DIR),
      localSlots: environment.HUBFED_GRADING_SLOTS,
      kubernetes: kubernetesRuntime,
      log: (line) => log.info({ area: "grading" }, line),
    }),
  };

  const queuesToProcess = environment.WORKER_QUEUES ?? processedQueues;
  const workers = queuesToProcess.map((queue) => {
    const worker = new Worker(
      queue,
      createProcessor(queue, dependencies, { logger: log, metrics }),
      {
        connection,
        prefix: "hubfed",
        // Grading runs one notebook per slot; the sandbox's slots are its concurrency.
        concurrency:
          queue === queueNames.grading
            ? environment.HUBFED_GRADING_SLOTS
            : environment.WORKER_CONCURRENCY,
      },
    );
    // Failed attempts are logged by the processor, with the job's context; these are the
    // failures outside any attempt: a job whose worker stopped, a lost connection.
    worker.on("stalled", (jobId) =>
      log.warn({ queue, jobId }, "job stalled: its worker stopped renewing the lock"),
    );
    worker.on("error", (error) => log.error({ queue, error }, "queue connection failed"));
    return worker;
  });
  log.info(
    { workerId, queues: queuesToProcess, email: mail ? "on" : "off (no SMTP_URL)" },
    "processing queues",
  );

  let isStopping = false;
  const probes =
    environment.WORKER_PROBE_PORT === undefined
      ? undefined
      : await startProbeServer(
          {
            isReady: () =>
              redis.status === "ready" && workers.every((worker) => worker.isRunning()),
            isStopping: () => isStopping,
          },
          {
            port: environment.WORKER_PROBE_PORT,
            metrics: {
              registry: metrics.registry,
              access: { bearerToken: environment.HUBFED_METRICS_TOKEN },
            },
            health: createHealthMonitor({ db, redis }),
          },
        );
  if (probes) log.info(`probes and metrics on port ${probes.port} (/livez, /readyz, /metrics)`);
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    log.info(`${signal}: finishing running jobs and stopping`);
    await Promise.all(workers.map((worker) => worker.close()));
    // Local hubs keep running without the worker; the next worker adopts them.
    for (const supervisor of localRuntime.supervisors.values()) supervisor.release();
    await queues.close();
    redis.disconnect();
    await db.$disconnect();
    await probes?.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  log.fatal({ error }, "failed to start");
  process.exit(1);
});
