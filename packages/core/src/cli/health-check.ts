// `hubfed health-check <hub>`: signs in to the hub as its health-check user, starts a server,
// runs a cell and stops the server (provisioning/hub-check.ts), printing each step. Run it where
// the worker runs (`kubectl exec deploy/…-worker -- hubfed health-check <hub>`): it reads the
// hub's token with the worker's settings and credentials. Exits non-zero when a step fails.
import { parseArgs } from "node:util";
import { createDatabaseClient } from "@hubfed/db";
import { createSecretBox, parsePreviousSecretKeys } from "@hubfed/identity/secret-box";
import { hubPlacementInclude } from "../provisioning/runtime";
import {
  kubernetesHubCheckTarget,
  localHubCheckTarget,
  runHubCheck,
} from "../provisioning/runtimes";

const usage = "usage: health-check <hub slug> [--timeout <seconds to start a server>]";

export async function runHealthCheckCommand(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { timeout: { type: "string", default: "300" } },
  });
  const hubSlug = positionals[1];
  if (!hubSlug || positionals.length !== 2) throw new Error(usage);
  const databaseUrl = process.env.DATABASE_URL;
  const secretKey = process.env.HUBFED_SECRET_KEY;
  if (!databaseUrl || !secretKey) throw new Error("DATABASE_URL and HUBFED_SECRET_KEY must be set");
  const secretBox = createSecretBox(
    secretKey,
    parsePreviousSecretKeys(process.env.HUBFED_PREVIOUS_SECRET_KEYS ?? ""),
  );
  const db = createDatabaseClient({ databaseUrl, maxConnections: 1 });
  let hub;
  try {
    hub = await db.hub.findUnique({ where: { slug: hubSlug }, include: hubPlacementInclude });
  } finally {
    await db.$disconnect();
  }
  if (!hub) throw new Error(`no hub "${hubSlug}"`);
  const target =
    hub.cluster.runtime === "LOCAL"
      ? localHubCheckTarget(hub, secretBox)
      : await kubernetesHubCheckTarget(hub, {
          serviceHost: process.env.KUBERNETES_SERVICE_HOST,
          servicePort: process.env.KUBERNETES_SERVICE_PORT,
        });
  console.log(`health check of ${hub.slug} at ${target.hubUrl}`);
  const report = await runHubCheck(target, {
    serverStartTimeoutMs: Number(values.timeout) * 1000,
    onStep: (step) =>
      console.log(
        `${step.isOk ? "ok  " : "FAIL"} ${step.name} (${(step.durationMs / 1000).toFixed(1)} s): ${step.detail}`,
      ),
  });
  if (!report.isHealthy) throw new Error(`hub ${hub.slug} failed its health check`);
  console.log(`hub ${hub.slug} is healthy`);
}
