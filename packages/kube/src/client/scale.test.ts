import { PatchStrategy } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CAPACITY_FIELD_MANAGER,
  CAPACITY_PLACEHOLDERS_NAME,
  placeholderPodSizeFor,
} from "../manifests/capacity-placeholders";
import { buildExampleHubManifestInput } from "../manifests/example-input";
import { buildHubObjects, validateBeforeApply } from "../manifests/hub-objects";
import { type KubernetesManifest } from "../manifests/types";
import { startKubernetesTestServer, type KubernetesTestServer } from "../test-server/server";
import { HUBFED_FIELD_MANAGER, applyObjects } from "./apply";
import { connectToCluster, type KubernetesCluster } from "./cluster";
import { readDeploymentScale, scaleDeployment } from "./scale";

let server: KubernetesTestServer;
let cluster: KubernetesCluster;
const placeholders = { namespace: "hub-data-8", name: CAPACITY_PLACEHOLDERS_NAME };

beforeEach(async () => {
  server = await startKubernetesTestServer({ port: 0 });
  cluster = connectToCluster("test", { apiServerUrl: server.url });
});

afterEach(async () => {
  await server.stop();
});

function hubObjects(): KubernetesManifest[] {
  return validateBeforeApply(
    buildHubObjects(buildExampleHubManifestInput(), { clientSecret: "secret" }),
  );
}

function storedPlaceholders() {
  return server.getObject({ apiVersion: "apps/v1", kind: "Deployment", ...placeholders });
}

function managersOfReplicas(): string[] {
  const entries = (storedPlaceholders()?.metadata as { managedFields?: unknown[] }).managedFields;
  return (entries ?? [])
    .filter((entry) => {
      const fields = (entry as { fieldsV1?: { "f:spec"?: Record<string, unknown> } }).fieldsV1;
      return fields?.["f:spec"]?.["f:replicas"] !== undefined;
    })
    .map((entry) => (entry as { manager: string }).manager);
}

describe("capacity placeholders", () => {
  it("sizes one placeholder to a user node less the margin", () => {
    expect(placeholderPodSizeFor({ memoryMib: 32768, vcpu: 4 })).toEqual({
      podMemoryMib: 27648,
      podCpuMilli: 3400,
    });
  });

  it("are created with zero replicas, owned by the capacity manager, not the reconcile's", async () => {
    await applyObjects(cluster, hubObjects());

    expect(storedPlaceholders()?.spec).toMatchObject({ replicas: 0 });
    expect(managersOfReplicas()).toEqual([CAPACITY_FIELD_MANAGER]);
    expect(managersOfReplicas()).not.toContain(HUBFED_FIELD_MANAGER);
  });

  it("change size with one scale call, which a later apply of the hub leaves alone", async () => {
    await applyObjects(cluster, hubObjects());
    server.resetCounters();

    const scaled = await scaleDeployment(cluster, {
      ...placeholders,
      replicas: 3,
      fieldManager: CAPACITY_FIELD_MANAGER,
    });

    expect(scaled.desiredReplicas).toBe(3);
    expect(server.countWrites()).toBe(1);
    expect(server.requests.at(-1)).toMatchObject({
      method: "PATCH",
      path: `/apis/apps/v1/namespaces/hub-data-8/deployments/${CAPACITY_PLACEHOLDERS_NAME}/scale`,
    });

    server.resetCounters();
    const again = await applyObjects(cluster, hubObjects());
    expect(again.every((result) => result.outcome === "unchanged")).toBe(true);
    expect(server.countWrites()).toBe(0);
    expect((await readDeploymentScale(cluster, placeholders)).desiredReplicas).toBe(3);
  });

  it("hand replicas over first when an interrupted creation left them with the reconcile", async () => {
    const placeholderObject = hubObjects().find(
      (object) => object.metadata.name === CAPACITY_PLACEHOLDERS_NAME,
    ) as KubernetesManifest;
    const others = hubObjects().filter((object) => object !== placeholderObject);
    await applyObjects(
      cluster,
      others.filter((object) => object.kind !== "HelmRelease"),
    );
    // What a creation cut short after its first call leaves: replicas applied by the reconcile only.
    await cluster.objects.patch(
      structuredClone({
        ...placeholderObject,
        spec: { ...(placeholderObject.spec as object), replicas: 2 },
      }),
      undefined,
      undefined,
      HUBFED_FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );

    await applyObjects(cluster, hubObjects());

    expect(storedPlaceholders()?.spec).toMatchObject({ replicas: 2 });
    expect(managersOfReplicas()).toEqual([CAPACITY_FIELD_MANAGER]);
  });
});
