import { readFileSync } from "node:fs";
import path from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { CLUSTER_ISSUER_NAME } from "@hubfed/kube";
import { chartDirectory, repositoryRoot } from "./helm";

// deploy/region: what an operator applies to a region cluster. Kept in step with the chart and
// with what hubs ask of the cluster.

const regionDirectory = path.join(repositoryRoot, "deploy/region");

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: unknown[];
  spec?: { acme?: { solvers?: { http01?: { ingress?: { ingressClassName?: string } } }[] } };
}

function manifestsOf(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(path.join(regionDirectory, file), "utf8")).map(
    (document) => document.toJS() as Manifest,
  );
}

describe("the region bootstrap", () => {
  it("grants the account it makes for the worker exactly the chart's ClusterRole rules", () => {
    const clusterRole = manifestsOf("portal-access.yaml").find(
      (manifest) => manifest.kind === "ClusterRole",
    );
    const chartRules: unknown = parse(
      readFileSync(path.join(chartDirectory, "files/worker-cluster-rules.yaml"), "utf8"),
    );
    expect(clusterRole?.rules).toEqual(chartRules);
    // No wildcard anywhere: every resource and verb is named.
    expect(JSON.stringify(chartRules)).not.toContain('"*"');
  });

  it("makes the ClusterIssuer hubs' Ingresses name, on the ingress class regions use", () => {
    const [issuer] = manifestsOf("issuer/cluster-issuer.yaml");
    expect(issuer).toMatchObject({
      kind: "ClusterIssuer",
      metadata: { name: CLUSTER_ISSUER_NAME },
    });
    expect(issuer?.spec?.acme?.solvers?.[0]?.http01?.ingress?.ingressClassName).toBe("nginx");
  });

  it("installs the ingress controller in the namespace the chart tells the worker", () => {
    const values = parse(readFileSync(path.join(chartDirectory, "values.yaml"), "utf8")) as {
      worker: { ingressControllerNamespace: string };
    };
    const release = manifestsOf("controllers/ingress-nginx.yaml").find(
      (manifest) => manifest.kind === "HelmRelease",
    );
    expect(release?.metadata.namespace).toBe(values.worker.ingressControllerNamespace);
  });

  it.each(["flux", "controllers"])(
    "lists in %s/kustomization.yaml only files that exist",
    (folder) => {
      const kustomization = parse(
        readFileSync(path.join(regionDirectory, folder, "kustomization.yaml"), "utf8"),
      ) as { resources: string[] };
      for (const resource of kustomization.resources.filter(
        (entry) => !entry.startsWith("https://"),
      ))
        expect(
          () => readFileSync(path.join(regionDirectory, folder, resource)),
          resource,
        ).not.toThrow();
      expect(kustomization.resources.length).toBeGreaterThan(0);
    },
  );
});
