import os from "node:os";
import path from "node:path";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import nodemailer from "nodemailer";
import { createLinkVerifier, loadPlannedHubs } from "@hubfed/core";
import { createGradingSandboxes } from "@hubfed/core/grading-sandboxes";
import { createKubernetesRuntime, createLocalRuntime } from "@hubfed/core/runtimes";
import { createDatabaseClient, type Cluster } from "@hubfed/db";
import { createSecretBox } from "@hubfed/identity/secret-box";
import { createBullMqJobQueues, queueNames, redisConnectionFromUrl } from "@hubfed/jobs";
import { environmentForLocalHubs, gitOpsSettingsOf, parseWorkerEnvironment } from "./env";
import { createProcessor, processedQueues } from "./processors";
import { startProbeServer } from "./probes";

async function main(): Promise<void> {
  const environment = parseWorkerEnvironment();
  const workerId = environment.WORKER_ID ?? `${os.hostname()}:${process.pid}`;
  const connection = redisConnectionFromUrl(environment.REDIS_URL);
  const db = createDatabaseClient({
    databaseUrl: environment.DATABASE_URL,
    maxConnections: environment.WORKER_CONCURRENCY + 2,
  });
  const redis = new Redis(environment.REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createBullMqJobQueues(connection);
  await queues.scheduleRepeatableJobs();

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
    onRestart: (hubSlug, detail) =>
      console.warn(`[worker] local hub ${hubSlug} restarted: ${detail}`),
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
      log: (line) => console.log(`[worker] grading: ${line}`),
    }),
  };

  const queuesToProcess = environment.WORKER_QUEUES ?? processedQueues;
  const workers = queuesToProcess.map((queue) => {
    const worker = new Worker(queue, createProcessor(queue, dependencies), {
      connection,
      prefix: "hubfed",
      // Grading runs one notebook per slot; the sandbox's slots are its concurrency.
      concurrency:
        queue === queueNames.grading
          ? environment.HUBFED_GRADING_SLOTS
          : environment.WORKER_CONCURRENCY,
    });
    worker.on("failed", (job, error) =>
      console.error(`[worker] ${queue}/${job?.name ?? "?"} failed: ${error.message}`),
    );
    return worker;
  });
  console.log(
    `[worker] ${workerId} processing queues: ${queuesToProcess.join(", ")}; email ${mail ? "on" : "off (no SMTP_URL)"}`,
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
          { port: environment.WORKER_PROBE_PORT },
        );
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    console.log(`[worker] ${signal}: finishing running jobs and stopping`);
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
  console.error("[worker] failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
