import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { DatabaseClient } from "@hubfed/db";
import { createSecretBox } from "@hubfed/identity/secret-box";
import { createInMemoryJobQueues } from "@hubfed/jobs";
import type { KubernetesTestServer } from "@hubfed/kube/test-server";
import { data101RequestForm } from "../demo/requests";
import { reconcileHub } from "../provisioning/reconcile";
import { createKubernetesRuntime } from "../provisioning/runtimes/kubernetes";
import { approveRequest } from "../requests/approval";
import { saveDraft, submitRequest } from "../requests/authoring";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";

/**
 * A Spring 2027 course (DATA 103) approved onto aws-eks-1 and provisioned on
 * the Kubernetes API test server, for the capacity tests: the demo federation
 * seeded, its clusters pointed at `server`, the request filed, approved and
 * reconciled to READY.
 */
export async function provisionSpringKubernetesHub(
  db: DatabaseClient,
  server: KubernetesTestServer,
) {
  const queues = createInMemoryJobQueues();
  const secretBox = createSecretBox(randomBytes(32).toString("base64"));
  await seedDemoFederation(db);
  await db.cluster.updateMany({
    where: { region: { slug: "us-west" } },
    data: { apiServerUrl: server.url },
  });
  const ops = await actorFor(db, "ops@hubfed.example");
  const instructor = await actorFor(db, "prof.rivera@westvalley.edu");
  const runtime = createKubernetesRuntime({
    db,
    secretBox,
    portalUrl: "https://portal.hubfed.example.org",
    ingressControllerNamespace: "ingress-nginx",
  });
  const form = {
    ...data101RequestForm,
    course: {
      ...data101RequestForm.course,
      code: "DATA 103",
      term: "Spring 2027",
      startDate: "2027-01-20",
      endDate: "2027-05-15",
    },
    schedule: { meetings: data101RequestForm.schedule.meetings, importantDates: [] },
  };
  const draft = await saveDraft({ db, actor: instructor }, { draft: form });
  await submitRequest({ db, actor: instructor }, { requestId: draft.id });
  const cluster = await db.cluster.findFirstOrThrow({ where: { slug: "aws-eks-1" } });
  const pool = await db.creditPool.findUniqueOrThrow({ where: { slug: "aws-cloud-credits-2026" } });
  const { hub } = await approveRequest(
    { db, actor: ops, queues },
    { requestId: draft.id, clusterId: cluster.id, creditPoolId: pool.id },
  );
  const outcome = await reconcileHub(db, {
    hubId: hub.id,
    trigger: "approval",
    runtimeFor: () => runtime,
    workerId: "worker-a",
    isLastAttempt: false,
    readyPollMs: 50,
    readyTimeoutMs: 10_000,
  });
  expect(outcome.outcome).toBe("converged");
  return { hub, cluster, runtime, ops, instructor };
}
