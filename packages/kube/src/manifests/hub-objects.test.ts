import { describe, expect, it } from "vitest";
import { listChangedPaths, toJsonValue } from "../json";
import { buildExampleHubManifestInput } from "./example-input";
import {
  HubValuesInvalidError,
  buildHubObjects,
  describeManifest,
  validateBeforeApply,
} from "./hub-objects";
import { type HubManifestInput, type KubernetesManifest } from "./types";

const clientSecret = "s3cret-value-never-logged";

function buildObjects(input: HubManifestInput = buildExampleHubManifestInput()) {
  return buildHubObjects(input, { clientSecret });
}

function withSpec(change: Partial<HubManifestInput["spec"]>): HubManifestInput {
  const input = buildExampleHubManifestInput();
  return { ...input, spec: { ...input.spec, ...change } };
}

/** Object key → paths that differ, for every object that differs. */
function diffObjectLists(
  before: KubernetesManifest[],
  after: KubernetesManifest[],
): Record<string, string[]> {
  const byKey = (objects: KubernetesManifest[]) =>
    new Map(objects.map((object) => [describeManifest(object), object]));
  const beforeByKey = byKey(before);
  const afterByKey = byKey(after);
  const keys = [...new Set([...beforeByKey.keys(), ...afterByKey.keys()])];
  const differences: Record<string, string[]> = {};
  for (const key of keys) {
    const before = beforeByKey.get(key);
    const after = afterByKey.get(key);
    const paths = listChangedPaths(
      before === undefined ? undefined : toJsonValue(before),
      after === undefined ? undefined : toJsonValue(after),
    );
    if (paths.length > 0) differences[key] = paths;
  }
  return differences;
}

describe("buildHubObjects", () => {
  it("puts every hub object in the hub's namespace with the attribution labels", () => {
    const objects = buildObjects();
    const hubObjects = objects.filter(
      (object) => object.metadata.labels?.["hubfed.io/hub"] !== undefined,
    );
    expect(hubObjects.length).toBeGreaterThan(10);
    for (const object of hubObjects) {
      expect(object.metadata.labels, describeManifest(object)).toMatchObject({
        "app.kubernetes.io/managed-by": "hubfed",
        "hubfed.io/hub": "data-8",
        "hubfed.io/course": "data-8",
        "hubfed.io/institution": "pacific-state",
        "hubfed.io/region": "us-west",
      });
      if (object.kind === "Namespace") expect(object.metadata.name).toBe("hub-data-8");
      else expect(object.metadata.namespace, describeManifest(object)).toBe("hub-data-8");
    }
  });

  it("shares the chart source per cluster, outside hub namespaces", () => {
    const [namespace, repository] = buildObjects();
    expect(namespace).toMatchObject({ kind: "Namespace", metadata: { name: "hubfed-system" } });
    expect(repository).toMatchObject({
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "HelmRepository",
      metadata: {
        name: "jupyterhub",
        namespace: "hubfed-system",
        labels: { "app.kubernetes.io/managed-by": "hubfed" },
      },
      spec: { url: "https://hub.jupyter.org/helm-chart/" },
    });
    expect(repository?.metadata.labels?.["hubfed.io/hub"]).toBeUndefined();
  });

  it("orders namespaces before what they contain and the HelmRelease last", () => {
    const kinds = buildObjects().map((object) => object.kind);
    expect(kinds.indexOf("Namespace")).toBe(0);
    expect(kinds.lastIndexOf("Namespace")).toBeLessThan(kinds.indexOf("ResourceQuota"));
    expect(kinds.at(-1)).toBe("HelmRelease");
  });

  it("builds the Flux HelmRelease for the pinned chart", () => {
    const release = buildObjects().at(-1);
    expect(release).toMatchObject({
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      metadata: { name: "hub-data-8", namespace: "hub-data-8" },
      spec: {
        releaseName: "hub-data-8",
        chart: {
          spec: {
            chart: "jupyterhub",
            version: "4.4.0",
            sourceRef: { kind: "HelmRepository", name: "jupyterhub", namespace: "hubfed-system" },
          },
        },
        install: { remediation: { retries: 3 } },
        upgrade: { remediation: { retries: 3, remediateLastFailure: true } },
      },
    });
  });

  it("sizes the quota from the spec and the expected crowd", () => {
    const quota = buildObjects().find((object) => object.kind === "ResourceQuota");
    // seats = ⌈120 × 1.2⌉ = 144, + 2 grading jobs = 146 user-sized pods, and at most
    // 3 node-sized placeholders (3400m, 27Gi each);
    // cpu 146 × 2 cores + 3 × 3.4 + 5 (core pods) = 307.2;
    // memory 146 × 2Gi + 3 × 27Gi + 4Gi = 377Gi. Grading runs in Jobs: no grader process.
    expect(quota?.spec).toEqual({
      hard: {
        "limits.cpu": "307200m",
        "limits.memory": "377Gi",
        "services.loadbalancers": "0",
        "services.nodeports": "0",
      },
    });
  });

  it("denies network traffic by default and allows the ingress controller only to the proxy", () => {
    const policies = buildObjects().filter((object) => object.kind === "NetworkPolicy");
    expect(policies[0]).toMatchObject({
      metadata: { name: "default-deny" },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });
    const fromIngress = policies.find(
      (policy) => policy.metadata.name === "allow-ingress-controller-to-proxy",
    );
    expect(fromIngress?.spec).toMatchObject({
      podSelector: { matchLabels: { component: "proxy" } },
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" },
              },
            },
          ],
        },
      ],
    });
  });

  it("keeps the client secret in the Secret only", () => {
    const objects = buildObjects();
    const secret = objects.find((object) => object.kind === "Secret");
    expect(secret?.data).toEqual({
      "client-id": Buffer.from("hub-data-8").toString("base64"),
      "client-secret": Buffer.from(clientSecret).toString("base64"),
    });
    const elsewhere = objects
      .filter((object) => object !== secret)
      .map((object) => JSON.stringify(object));
    expect(elsewhere.join("\n")).not.toContain(clientSecret);
    expect(elsewhere.join("\n")).not.toContain(Buffer.from(clientSecret).toString("base64"));
  });

  it("adds exactly one object for the autograder: the policy that cuts grading pods off", () => {
    const names = (input: HubManifestInput) =>
      buildObjects(input).map((object) => describeManifest(object));
    const withGrader = names(buildExampleHubManifestInput());
    const withoutGrader = names(withSpec({ autograder: { isEnabled: false } }));
    expect(withGrader.filter((name) => !withoutGrader.includes(name))).toEqual([
      "networking.k8s.io/v1 NetworkPolicy hub-data-8/deny-grading-traffic",
    ]);
    expect(withoutGrader.filter((name) => !withGrader.includes(name))).toEqual([]);
    // No grader process any more: no account, role, deployment or service of its own.
    expect(withGrader.filter((name) => /ServiceAccount|Role|Service /.test(name))).toEqual([]);
    const policy = buildObjects().find((object) => object.metadata.name === "deny-grading-traffic");
    expect(policy?.spec).toEqual({
      podSelector: { matchLabels: { "hubfed.io/grading": "true" } },
      policyTypes: ["Ingress", "Egress"],
    });
  });

  it("leaves grading pods out of every namespace-wide allowance (policies only add up)", () => {
    const policies = buildObjects().filter((object) => object.kind === "NetworkPolicy");
    const gradingPod = { "hubfed.io/grading": "true", "hubfed.io/hub": "data-8" };
    const selects = (selector: {
      matchLabels?: Record<string, string>;
      matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
    }) =>
      Object.entries(selector.matchLabels ?? {}).every(
        ([key, value]) => gradingPod[key as keyof typeof gradingPod] === value,
      ) &&
      (selector.matchExpressions ?? []).every((expression) => {
        const value = gradingPod[expression.key as keyof typeof gradingPod];
        if (expression.operator === "DoesNotExist") return value === undefined;
        if (expression.operator === "Exists") return value !== undefined;
        const isIn = value !== undefined && (expression.values ?? []).includes(value);
        return expression.operator === "In" ? isIn : !isIn;
      });
    const allowingGradingPods = policies
      .filter((policy) => {
        const spec = policy.spec as { podSelector: object; ingress?: unknown; egress?: unknown };
        return (
          selects(spec.podSelector) && (spec.ingress !== undefined || spec.egress !== undefined)
        );
      })
      .map((policy) => policy.metadata.name);
    expect(allowingGradingPods).toEqual([]);
  });

  it("changes exactly the HelmRelease values when the memory guarantee changes", () => {
    const before = buildObjects();
    const after = buildObjects(withSpec({ memoryGuaranteeMib: 1536 }));
    expect(diffObjectLists(before, after)).toEqual({
      "helm.toolkit.fluxcd.io/v2 HelmRelease hub-data-8/hub-data-8": [
        "spec.values.singleuser.memory.guarantee",
      ],
    });
  });

  it("suspends by changing only the release: its Deployments at zero, no image puller", () => {
    const running = buildObjects();
    const suspended = buildObjects({ ...buildExampleHubManifestInput(), isSuspended: true });
    // Every other object stays: the namespace with the students' volumes, the secret, the quota.
    expect(diffObjectLists(running, suspended)).toEqual({
      "helm.toolkit.fluxcd.io/v2 HelmRelease hub-data-8/hub-data-8": [
        "spec.postRenderers",
        "spec.values.prePuller.continuous.enabled",
      ],
    });
    const release = suspended.find((object) => object.kind === "HelmRelease");
    expect(release?.spec).toMatchObject({
      postRenderers: [
        {
          kustomize: {
            patches: [
              {
                target: { kind: "Deployment" },
                patch: "- op: add\n  path: /spec/replicas\n  value: 0\n",
              },
            ],
          },
        },
      ],
      values: { prePuller: { continuous: { enabled: false } } },
    });
    // Still values the chart accepts; resuming is the running release again.
    expect(validateBeforeApply(suspended)).toBe(suspended);
    expect(
      diffObjectLists(
        running,
        buildObjects({ ...buildExampleHubManifestInput(), isSuspended: false }),
      ),
    ).toEqual({});
  });

  it("is deterministic", () => {
    expect(diffObjectLists(buildObjects(), buildObjects())).toEqual({});
  });

  it("rejects input that would make invalid Kubernetes names", () => {
    expect(() => buildObjects(buildExampleHubManifestInput({ hubSlug: "Data_8" }))).toThrow(
      /DNS label/,
    );
    expect(() => buildObjects(buildExampleHubManifestInput({ hubSlug: "a".repeat(50) }))).toThrow();
    expect(() => buildObjects(buildExampleHubManifestInput({ portalUrl: "portal" }))).toThrow(
      /portalUrl/,
    );
  });
});

describe("validateBeforeApply", () => {
  it("lets valid objects through unchanged", () => {
    const objects = buildObjects();
    expect(validateBeforeApply(objects)).toBe(objects);
  });

  it("stops everything when the values do not match the chart's schema", () => {
    const objects = buildObjects();
    const release = objects.at(-1) as KubernetesManifest;
    const values = (release.spec as { values: { singleuser: { memory: Record<string, unknown> } } })
      .values;
    values.singleuser.memory.guarrantee = "1G";
    expect(() => validateBeforeApply(objects)).toThrow(HubValuesInvalidError);
    expect(() => validateBeforeApply(objects)).toThrow(
      '/singleuser/memory must NOT have additional properties: "guarrantee"',
    );
  });
});
