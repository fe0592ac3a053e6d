import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import type { ZodType } from "zod";
import { beforeAll, describe, expect, it } from "vitest";
import { loadRegionConfigs } from "@hubfed/core";
import { portalEnvironmentSchema } from "../../../apps/portal/src/env";
import { workerEnvironmentSchema } from "../../../apps/worker/src/env";
import { startProbeServer } from "../../../apps/worker/src/probes";
import { chartDirectory, repositoryRoot, runHelm } from "./helm";

// The chart rendered by a real helm (tests/helm.ts says where it comes from), and read back.

interface EnvironmentEntry {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface Container {
  name: string;
  command?: string[];
  env?: EnvironmentEntry[];
  securityContext?: Record<string, unknown>;
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  startupProbe?: { httpGet?: { path: string } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: {
    name: string;
    configMap?: { name: string; items: { key: string; path: string }[] };
  }[];
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: { replicas?: number; template?: { spec: PodSpec } };
  data?: Record<string, string>;
  rules?: unknown[];
}

async function render(valuesFile?: string, extra: string[] = []): Promise<Manifest[]> {
  const result = await runHelm([
    "template",
    "hubfed",
    chartDirectory,
    "--namespace",
    "hubfed",
    ...(valuesFile ? ["-f", path.join(chartDirectory, valuesFile)] : []),
    ...extra,
  ]);
  if (result.exitCode !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

function find(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find(
    (manifest) => manifest.kind === kind && manifest.metadata.name === name,
  );
  if (!found) throw new Error(`no ${kind} ${name} in the rendered chart`);
  return found;
}

function podOf(manifest: Manifest): PodSpec {
  const pod = manifest.spec?.template?.spec;
  if (!pod) throw new Error(`${manifest.kind} ${manifest.metadata.name} has no pod template`);
  return pod;
}

function containerOf(manifest: Manifest, name: string): Container {
  const container = podOf(manifest).containers.find((candidate) => candidate.name === name);
  if (!container) throw new Error(`no container ${name} in ${manifest.metadata.name}`);
  return container;
}

const environmentNames = (container: Container) => (container.env ?? []).map((entry) => entry.name);

/**
 * Variables the apps read that a deployment must not set, and why. Anything else an app reads
 * must be in its rendered environment, so a setting added to env.ts fails here until the chart
 * carries it.
 */
const notFromTheChart: Record<"portal" | "worker", Record<string, string>> = {
  portal: {
    HUBFED_DEV_SIGN_IN: "the development sign-in is for `npm start` and tests only",
    HUBFED_DEMO: "marks the demo federation of `npm start`",
    HUBFED_DEV_SIGN_IN_ACCOUNTS: "test runs' extra development sign-in accounts",
  },
  worker: {
    KUBERNETES_SERVICE_HOST: "the kubelet sets it in every container",
    KUBERNETES_SERVICE_PORT: "the kubelet sets it in every container",
  },
};
/** Read by Node itself, not by the apps. */
const nodeVariables = ["NODE_ENV", "NODE_EXTRA_CA_CERTS"];

let defaults: Manifest[];
let everySetting: Manifest[];

beforeAll(async () => {
  [defaults, everySetting] = await Promise.all([render(), render("examples/every-setting.yaml")]);
}, 180_000);

describe("helm lint and template", () => {
  it.each([undefined, "examples/existing-secret.yaml", "examples/every-setting.yaml"])(
    "lint passes with %s",
    async (valuesFile) => {
      const result = await runHelm([
        "lint",
        chartDirectory,
        "--strict",
        ...(valuesFile ? ["-f", path.join(chartDirectory, valuesFile)] : []),
      ]);
      expect(result.stderr + result.stdout).toContain("0 chart(s) failed");
      expect(result.exitCode).toBe(0);
    },
    120_000,
  );

  it("refuses values the schema refuses, naming the field", async () => {
    const result = await runHelm([
      "template",
      "hubfed",
      chartDirectory,
      "--set",
      "worker.queues=emails",
    ]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/worker[./]queues/);
  });

  it("asks for the database when it is to create the Secret", async () => {
    const result = await runHelm([
      "template",
      "hubfed",
      chartDirectory,
      "--set",
      "secrets.existingSecret=",
    ]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/databaseUrl/);
  });
});

describe("the apps' environment", () => {
  it.each([
    ["portal", portalEnvironmentSchema.shape],
    ["worker", workerEnvironmentSchema.shape],
  ] as const)("the %s gets every setting it reads", (app, shape) => {
    const rendered = environmentNames(
      containerOf(find(everySetting, "Deployment", `hubfed-${app}`), app),
    );
    const excluded = notFromTheChart[app];
    const expected = Object.keys(shape).filter((name) => !(name in excluded));
    const readByNodeOnly = (name: string) => nodeVariables.includes(name) && !(name in shape);
    expect(rendered.filter((name) => !readByNodeOnly(name)).sort()).toEqual(expected.sort());
    for (const name of Object.keys(excluded)) expect(rendered).not.toContain(name);
  });

  it.each([
    ["portal", portalEnvironmentSchema.shape],
    ["worker", workerEnvironmentSchema.shape],
  ] as const)("the %s gets every required setting with the default values", (app, shape) => {
    const rendered = environmentNames(
      containerOf(find(defaults, "Deployment", `hubfed-${app}`), app),
    );
    const schemas = Object.entries(shape as Record<string, ZodType>);
    const required = schemas
      .filter(([, schema]) => !schema.safeParse(undefined).success)
      .map(([name]) => name);
    expect(required).toContain("DATABASE_URL");
    expect(rendered).toEqual(expect.arrayContaining(required));
  });

  it("gives both apps the public URL, each under the name it reads", () => {
    const portal = containerOf(find(everySetting, "Deployment", "hubfed-portal"), "portal");
    const worker = containerOf(find(everySetting, "Deployment", "hubfed-worker"), "worker");
    const valueOf = (container: Container, name: string) =>
      container.env?.find((entry) => entry.name === name)?.value;
    expect(valueOf(portal, "NEXTAUTH_URL")).toBe("https://portal.federation.example.edu");
    expect(valueOf(worker, "PORTAL_URL")).toBe("https://portal.federation.example.edu");
  });

  it("takes every secret from the Secret, and the created Secret has every key asked for", () => {
    const secret = find(everySetting, "Secret", "hubfed");
    for (const deployment of ["hubfed-portal", "hubfed-worker"]) {
      const pod = podOf(find(everySetting, "Deployment", deployment));
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])])
        for (const entry of container.env ?? []) {
          const reference = entry.valueFrom?.secretKeyRef;
          if (!reference) continue;
          expect(reference.name).toBe("hubfed");
          // Optional keys may be absent (HUBFED_PREVIOUS_SECRET_KEYS outside a key rotation).
          if (!reference.optional || reference.key !== "HUBFED_PREVIOUS_SECRET_KEYS")
            expect(Object.keys(secret.data ?? {}), entry.name).toContain(reference.key);
        }
    }
    // The key the worker checks: 32 bytes, base64 (then base64 again as Secret data).
    const key = Buffer.from(secret.data?.HUBFED_SECRET_KEY ?? "", "base64").toString();
    expect(Buffer.from(key, "base64")).toHaveLength(32);
    expect(secret.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
  });

  it("never puts a secret's value in plain env", () => {
    for (const manifest of everySetting)
      if (manifest.spec?.template)
        for (const container of podOf(manifest).containers)
          for (const entry of container.env ?? [])
            expect(entry.value ?? "", `${manifest.metadata.name} ${entry.name}`).not.toMatch(
              /change-me|token|client-secret/,
            );
  });
});

describe("pods", () => {
  const podManifests = () => everySetting.filter((manifest) => manifest.spec?.template);

  it("run at the restricted Pod Security level with a read-only root filesystem", () => {
    expect(
      podManifests()
        .map((manifest) => manifest.metadata.name)
        .sort(),
    ).toEqual(["hubfed-migrate", "hubfed-portal", "hubfed-regions-sync", "hubfed-worker"]);
    for (const manifest of podManifests()) {
      const pod = podOf(manifest);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
      });
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(container.securityContext, `${manifest.metadata.name}/${container.name}`).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ["ALL"] },
        });
        // tsx keeps its cache under /tmp: the one writable place every container needs.
        expect(container.volumeMounts?.map((mount) => mount.mountPath)).toContain("/tmp");
      }
    }
  });

  it("mount a Kubernetes token into the worker only", () => {
    for (const manifest of podManifests())
      expect(podOf(manifest).automountServiceAccountToken, manifest.metadata.name).toBe(
        manifest.metadata.name === "hubfed-worker",
      );
  });

  it("probe the portal's readiness on its own database, on routes the portal has", () => {
    const portal = containerOf(find(defaults, "Deployment", "hubfed-portal"), "portal");
    expect(portal.readinessProbe?.httpGet?.path).toBe("/api/health/ready");
    for (const probe of [portal.readinessProbe, portal.livenessProbe, portal.startupProbe]) {
      const routePath = probe?.httpGet?.path ?? "";
      expect(routePath).not.toBe("/api/health"); // that one follows the worker's heartbeat
      expect(
        existsSync(path.join(repositoryRoot, "apps/portal/src/app", routePath, "route.ts")),
        routePath,
      ).toBe(true);
    }
  });

  it("probe the worker on paths its probe listener answers", async () => {
    const worker = containerOf(find(defaults, "Deployment", "hubfed-worker"), "worker");
    const server = await startProbeServer(
      { isReady: () => true, isStopping: () => false },
      { port: 0, host: "127.0.0.1" },
    );
    try {
      for (const probe of [worker.readinessProbe, worker.livenessProbe]) {
        const response = await fetch(
          `http://127.0.0.1:${server.port}${probe?.httpGet?.path ?? ""}`,
        );
        expect(response.status, probe?.httpGet?.path).toBe(200);
      }
    } finally {
      await server.close();
    }
  });

  it("wait for migrations before the apps start, which the migration Job applies", () => {
    for (const name of ["hubfed-portal", "hubfed-worker"])
      expect(podOf(find(defaults, "Deployment", name)).initContainers?.[0]?.command).toEqual([
        "hubfed",
        "migrate",
        "--wait",
      ]);
    const migrate = find(defaults, "Job", "hubfed-migrate");
    expect(migrate.metadata.annotations?.["helm.sh/hook"]).toBe("post-install,pre-upgrade");
    expect(containerOf(migrate, "migrate").command).toEqual(["hubfed", "migrate"]);
  });
});

describe("regions", () => {
  it("are synced after install and upgrade, only when there are regions", () => {
    expect(defaults.some((manifest) => manifest.metadata.name === "hubfed-regions-sync")).toBe(
      false,
    );
    const sync = find(everySetting, "Job", "hubfed-regions-sync");
    expect(sync.metadata.annotations).toMatchObject({
      "helm.sh/hook": "post-install,post-upgrade",
      "helm.sh/hook-weight": "10",
    });
  });

  it("reach the sync as the folders `hubfed regions` reads, and the example's region is valid", async () => {
    const sync = find(everySetting, "Job", "hubfed-regions-sync");
    const command = containerOf(sync, "regions-sync").command ?? [];
    expect(command.slice(0, 3)).toEqual(["hubfed", "regions", "sync"]);
    const directory = command[command.indexOf("--dir") + 1] ?? "";
    const mount = containerOf(sync, "regions-sync").volumeMounts?.find(
      (candidate) => candidate.mountPath === directory,
    );
    const volume = podOf(sync).volumes?.find((candidate) => candidate.name === mount?.name);
    const configMap = find(everySetting, "ConfigMap", volume?.configMap?.name ?? "");
    // Lay the ConfigMap out as the kubelet does, then load it with the real loader.
    const root = await mkdtemp(path.join(tmpdir(), "hubfed-chart-regions-"));
    try {
      const regions = path.join(root, "regions");
      for (const item of volume?.configMap?.items ?? []) {
        await mkdir(path.dirname(path.join(regions, item.path)), { recursive: true });
        await writeFile(path.join(regions, item.path), configMap.data?.[item.key] ?? "");
      }
      const configs = await loadRegionConfigs(regions);
      expect(configs.map((config) => config.slug)).toEqual(["campus"]);
      const cluster = configs[0]?.clusters[0];
      expect(cluster && "kubernetes" in cluster ? cluster.kubernetes.inCluster : undefined).toBe(
        true,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("mount each kubeconfig Secret where a region file can name it", () => {
    const worker = containerOf(find(everySetting, "Deployment", "hubfed-worker"), "worker");
    expect(worker.volumeMounts?.map((mount) => mount.mountPath)).toContain(
      "/etc/hubfed/kubeconfigs/eks-west",
    );
  });
});

describe("scaling and disruption", () => {
  it("lets the HPA own the portal's replica count when autoscaling is on", () => {
    expect(find(defaults, "Deployment", "hubfed-portal").spec?.replicas).toBe(2);
    expect(defaults.some((manifest) => manifest.kind === "HorizontalPodAutoscaler")).toBe(false);
    expect(find(everySetting, "Deployment", "hubfed-portal").spec?.replicas).toBeUndefined();
    expect(find(everySetting, "HorizontalPodAutoscaler", "hubfed-portal").spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 8,
    });
    expect(find(defaults, "PodDisruptionBudget", "hubfed-portal").spec).toMatchObject({
      minAvailable: 1,
    });
  });
});
