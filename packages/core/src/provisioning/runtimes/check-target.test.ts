import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubernetesTestServer, type KubernetesTestServer } from "@hubfed/kube/test-server";
import type { HubWithPlacement } from "../runtime";
import { kubernetesHubCheckTarget } from "./kubernetes";

// Where `hubfed health-check` finds a Kubernetes hub's token: the chart's Secret `hub`, read
// with the worker's own connection to the hub's cluster (the Kubernetes API test server here).

let server: KubernetesTestServer;

function hubOn(cluster: Partial<HubWithPlacement["cluster"]>) {
  return {
    slug: "data-101",
    url: "https://data-101.us-west.hubfed.example.org",
    cluster: {
      slug: "aws-eks-1",
      apiServerUrl: server.url,
      kubeconfigPath: null,
      inCluster: false,
      isSimulated: false,
      ...cluster,
    },
  } as Pick<HubWithPlacement, "slug" | "url" | "cluster">;
}

beforeAll(async () => {
  server = await startKubernetesTestServer({ namespaces: ["default", "hub-data-101"] });
});
afterAll(async () => {
  await server.stop();
});

describe("the health check's way into a Kubernetes hub", () => {
  it("reads the health-check service's token from the hub's Secret", async () => {
    server.createObject({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "hub", namespace: "hub-data-101" },
      data: {
        "hub.services.portal.apiToken": Buffer.from("the-portals-token").toString("base64"),
        "hub.services.hubfed-health-check.apiToken":
          Buffer.from("the-health-checks-token").toString("base64"),
      },
    });
    expect(await kubernetesHubCheckTarget(hubOn({}))).toEqual({
      hubUrl: "https://data-101.us-west.hubfed.example.org",
      token: "the-health-checks-token",
    });
  });

  it("refuses a hub on a simulated cluster, where no JupyterHub answers", async () => {
    await expect(kubernetesHubCheckTarget(hubOn({ isSimulated: true }))).rejects.toThrow(
      "runs on a simulated cluster",
    );
  });
});
