import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRedisUrl, useTestDatabase } from "@hubfed/db/testing";
import { closeQueues, createQueues, redisConnectionFromUrl } from "@hubfed/jobs";
import { createSecretBox } from "../crypto/secret-box";
import { approveRequest } from "../requests/lifecycle";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { decommissionHub } from "./decommission";
import { checkHubHealth, reconcileHub } from "./reconcile";
import { createLocalRuntime } from "./runtimes/local";

// The local runtime with a real JupyterHub process: approval → reconcile →
// the hub answers /hub/api/; killed, it is restarted and back to READY;
// decommissioned, it stops and its homes are archived.

const database = useTestDatabase();
const queues = createQueues(
  redisConnectionFromUrl(`${testRedisUrl()}/7`),
  `hubfed-local-${process.pid}`,
);
let runtime: ReturnType<typeof createLocalRuntime>;
let hubId = "";

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  const hubsDirectory = await mkdtemp(path.join(os.tmpdir(), "hubfed-local-hubs-"));
  runtime = createLocalRuntime({
    db,
    secretBox: createSecretBox(randomBytes(32).toString("base64")),
    hubsDirectory,
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
  await closeQueues(queues);
});

describe("provisioning on the local runtime", () => {
  it("starts a real JupyterHub that answers /hub/api/ and marks the hub READY", async () => {
    const db = database().db;
    const outcome = await reconcileHub(db, {
      hubId,
      trigger: "approval",
      runtimeFor: () => runtime,
      workerId: "worker-local",
      isLastAttempt: true,
      readyPollMs: 250,
      readyTimeoutMs: 60_000,
    });
    expect(outcome.outcome).toBe("converged");
    const hub = await db.hub.findUniqueOrThrow({ where: { id: hubId } });
    expect(hub.status).toBe("READY");
    expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:18\d{3}$/);
    const answer = (await (await fetch(`${hub.url}/hub/api/`)).json()) as { version: string };
    expect(answer.version).toMatch(/^\d+\.\d+/);
    // Reconciling again keeps the running hub (no restart).
    const pidBefore = runtime.supervisors.get(hubId)?.pid;
    await reconcileHub(db, {
      hubId,
      trigger: "drift",
      runtimeFor: () => runtime,
      workerId: "worker-local",
      isLastAttempt: true,
      readyPollMs: 250,
    });
    expect(runtime.supervisors.get(hubId)?.pid).toBe(pidBefore);
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
