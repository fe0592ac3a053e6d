import { isDeepStrictEqual } from "node:util";
import type {
  Cloud,
  Cluster,
  Course,
  DatabaseClient,
  Hub,
  Institution,
  NodePool,
  Prisma,
  Region,
} from "@hubfed/db";
import { hubSpecSchema, type HubSpec } from "@hubfed/hub-spec";
import { failureMessageOf } from "../errors";

// What a runtime (local processes, Kubernetes) is to the provisioning engine,
// and how the engine asks one about a hub: the hub with where it runs, the
// context a runtime plans from, and readiness checks that never throw.

export type HubWithPlacement = Hub & {
  course: Course & { institution: Institution };
  cluster: Cluster & { region: Region; cloud: Cloud | null; nodePools: NodePool[] };
};

export interface HubRuntimeContext {
  hub: HubWithPlacement;
  spec: HubSpec;
  /** What the runtime saved on an earlier run (ports, namespace), or null. */
  runtimeState: unknown;
  saveRuntimeState(state: Prisma.InputJsonValue): Promise<void>;
}

export interface ProvisioningStepPlan {
  name: string;
  /** Idempotent; returns a line of detail for the UI. */
  run(): Promise<string | undefined>;
}

export interface ReadinessReport {
  isReady: boolean;
  detail: string;
  url?: string;
}

export interface StoppedReport {
  /** Nothing of the hub runs: no JupyterHub, no proxy, no user server. */
  isStopped: boolean;
  detail: string;
}

/** How the portal reaches a hub's JupyterHub REST API as its `portal` service. */
export interface HubApiAccess {
  /** `<hub>/hub/api`, without a trailing slash. */
  apiUrl: string;
  /** The portal service's token (roles hubfed-portal-metering and hubfed-portal-access). */
  token: string;
}

/** What a runtime (local processes, Kubernetes) provides to the engine. */
export interface HubRuntime {
  planReconcile(context: HubRuntimeContext): Promise<ProvisioningStepPlan[]>;
  checkReady(context: HubRuntimeContext): Promise<ReadinessReport>;
  /**
   * Steps that take a SUSPENDED hub to stopped: its JupyterHub and every user server stopped, its
   * students' homes and its own state kept, so that resuming (planReconcile) brings it back as it
   * was. Idempotent like every plan.
   */
  planSuspend(context: HubRuntimeContext): Promise<ProvisioningStepPlan[]>;
  /** Whether nothing of the hub runs any more. */
  checkStopped(context: HubRuntimeContext): Promise<StoppedReport>;
  /** Steps that restart a running hub's JupyterHub (ops' Restart), after planReconcile's. */
  planRestart(context: HubRuntimeContext): Promise<ProvisioningStepPlan[]>;
  planDecommission(context: HubRuntimeContext): Promise<ProvisioningStepPlan[]>;
  /** Where the hub's REST API answers and the portal's token for it; throws before provisioning. */
  hubApiAccess(context: HubRuntimeContext): Promise<HubApiAccess>;
}

export type RuntimeResolver = (cluster: Cluster) => HubRuntime;

/** The relations a HubWithPlacement carries, for queries that load several. */
export const hubPlacementInclude = {
  course: { include: { institution: true } },
  cluster: { include: { region: true, cloud: true, nodePools: true } },
} as const;

export async function loadHubWithPlacement(
  db: DatabaseClient,
  hubId: string,
): Promise<HubWithPlacement | null> {
  return db.hub.findUnique({ where: { id: hubId }, include: hubPlacementInclude });
}

export function runtimeContextFor(db: DatabaseClient, hub: HubWithPlacement): HubRuntimeContext {
  return {
    hub,
    spec: hubSpecSchema.parse(hub.spec),
    runtimeState: hub.runtimeState,
    async saveRuntimeState(state) {
      // Runtimes save after every step; an unchanged hub's state is the same each time.
      if (isDeepStrictEqual(state, this.runtimeState)) return;
      await db.hub.update({ where: { id: hub.id }, data: { runtimeState: state } });
      // A copy: callers keep mutating what they saved.
      this.runtimeState = structuredClone(state);
    },
  };
}

/** Asks the runtime once whether the hub answers; a check that throws counts as "not ready". */
export function checkReadiness(
  runtime: HubRuntime,
  context: HubRuntimeContext,
): Promise<ReadinessReport> {
  return runtime
    .checkReady(context)
    .catch((error: unknown) => ({ isReady: false, detail: failureMessageOf(error) }));
}

/** Polls the runtime until the hub answers; throws with the last detail once `timeoutMs` has passed. */
export async function waitUntilReady(
  runtime: HubRuntime,
  context: HubRuntimeContext,
  { timeoutMs, pollMs }: { timeoutMs: number; pollMs: number },
): Promise<ReadinessReport> {
  const deadline = Date.now() + timeoutMs;
  let last: ReadinessReport = { isReady: false, detail: "not checked yet" };
  while (Date.now() < deadline) {
    last = await checkReadiness(runtime, context);
    if (last.isReady) return last;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(
    `The hub did not become ready within ${Math.round(timeoutMs / 1000)} s: ${last.detail}`,
  );
}

/** Polls the runtime until nothing of the hub runs; throws with the last detail after `timeoutMs`. */
export async function waitUntilStopped(
  runtime: HubRuntime,
  context: HubRuntimeContext,
  { timeoutMs, pollMs }: { timeoutMs: number; pollMs: number },
): Promise<StoppedReport> {
  const deadline = Date.now() + timeoutMs;
  let last: StoppedReport = { isStopped: false, detail: "not checked yet" };
  while (Date.now() < deadline) {
    last = await runtime
      .checkStopped(context)
      .catch((error: unknown) => ({ isStopped: false, detail: failureMessageOf(error) }));
    if (last.isStopped) return last;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`The hub did not stop within ${Math.round(timeoutMs / 1000)} s: ${last.detail}`);
}
