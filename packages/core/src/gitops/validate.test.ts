import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseDocument } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HubSpec } from "@hubfed/hub-spec";
import { runHubfedCommand } from "../testing/hubfed-command";
import { renderRegionFiles, type ExportableHub } from "./render";
import { formatFederationProblems, validateFederationDirectory } from "./validate";

// `hubfed validate` over a federation tree as the GitOps export writes it: the repository's own
// us-west region and a course's hubs rendered by the real renderer, then broken one way at a time.

const repositoryRoot = path.resolve(import.meta.dirname, "../../../..");

const spec: HubSpec = {
  image: "quay.io/jupyter/scipy-notebook:2025-06-02",
  interface: "lab",
  memoryGuaranteeMib: 1024,
  memoryLimitMib: 2048,
  cpuGuaranteeMilli: 250,
  cpuLimitMilli: 1000,
  storageGib: 10,
  cullTimeoutSeconds: 3600,
  cullMaxAgeSeconds: 0,
  startTimeoutSeconds: 300,
  placeholderSeats: 2,
  autograder: { isEnabled: true },
  auth: { provider: "google", allowedEmailDomains: ["westvalley.edu"] },
};

function kubernetesHub(slug: string): ExportableHub {
  return {
    id: `id-${slug}`,
    slug,
    spec,
    weight: 100,
    status: "READY",
    oidcClient: { clientId: `hub-${slug}` },
    course: {
      slug,
      code: slug.toUpperCase(),
      title: `Course ${slug}`,
      term: "Fall 2026",
      startDate: new Date("2026-08-24T00:00:00Z"),
      endDate: new Date("2026-12-11T00:00:00Z"),
      timezone: "America/Los_Angeles",
      expectedEnrollment: 80,
      expectedConcurrentUsers: 40,
      institution: { slug: "west-valley" },
    },
    cluster: {
      slug: "aws-eks-1",
      runtime: "KUBERNETES",
      ingressClass: "nginx",
      storageClass: "gp3",
      region: { slug: "us-west", name: "US West", baseDomain: "us-west.hubfed.example.org" },
      nodePools: [{ purpose: "user", memoryMib: 32768, vcpu: 4, maxNodes: 20 }],
    },
  } as unknown as ExportableHub;
}

let root: string;
let regions: string;
const regionFile = () => path.join(regions, "us-west/region.yaml");
const hubFile = () => path.join(regions, "us-west/hubs/data-101.yaml");

/** Edits one YAML file in place, keeping the rest as written. */
async function editYaml(file: string, edit: (document: ReturnType<typeof parseDocument>) => void) {
  const document = parseDocument(await readFile(file, "utf8"));
  edit(document);
  await writeFile(file, document.toString());
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "hubfed-validate-"));
  regions = path.join(root, "regions");
  await mkdir(path.join(regions, "us-west"), { recursive: true });
  await copyFile(path.join(repositoryRoot, "regions/us-west/region.yaml"), regionFile());
  const settings = {
    portalUrl: "https://portal.example.org",
    ingressControllerNamespace: "ingress-nginx",
  };
  for (const [file, content] of renderRegionFiles(
    "us-west",
    [kubernetesHub("data-101")],
    settings,
  )) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("validating a federation's files", () => {
  it("passes what the GitOps export renders for a region's clusters", async () => {
    expect(await validateFederationDirectory(regions)).toEqual({
      regionCount: 1,
      hubCount: 1,
      problems: [],
    });
  });

  it("names the region file and field of a bad region", async () => {
    await editYaml(regionFile(), (document) =>
      document.setIn(["clusters", 0, "nodePools", 1, "maxNodes"], -1),
    );
    const { problems } = await validateFederationDirectory(regions);
    expect(formatFederationProblems(problems)).toContain(
      "regions/us-west/region.yaml: clusters[0].nodePools[1].maxNodes:",
    );
  });

  it("names the hub file and field of a bad hub spec", async () => {
    await editYaml(hubFile(), (document) =>
      document.setIn(["hubs", 0, "spec", "memoryLimitMib"], -512),
    );
    const { problems } = await validateFederationDirectory(regions);
    expect(problems).toEqual([
      {
        file: "regions/us-west/hubs/data-101.yaml",
        fieldPath: "hubs[0].spec.memoryLimitMib",
        problem: "Too small: expected number to be >0",
      },
    ]);
  });

  it("checks each hub's Zero to JupyterHub values against the chart's schema", async () => {
    await editYaml(hubFile(), (document) => {
      const objects = document.getIn(["hubs", 0, "kubernetes", "objects"]) as { items: unknown[] };
      const index = objects.items.findIndex(
        (item) => (item as { get(key: string): unknown }).get("kind") === "HelmRelease",
      );
      document.setIn(
        ["hubs", 0, "kubernetes", "objects", index, "spec", "values", "singleuser", "memroy"],
        {
          limit: "2G",
        },
      );
    });
    const { problems } = await validateFederationDirectory(regions);
    expect(problems).toHaveLength(1);
    expect(formatFederationProblems(problems)).toMatch(
      /^regions\/us-west\/hubs\/data-101\.yaml: hubs\[0\]\.kubernetes\.objects\[\d+\]\.spec\.values: \/singleuser must NOT have additional properties: "memroy"$/,
    );
  });

  it("refuses a hub on a cluster the region does not have", async () => {
    await editYaml(hubFile(), (document) => document.setIn(["hubs", 0, "cluster"], "aws-eks-9"));
    const { problems } = await validateFederationDirectory(regions);
    expect(formatFederationProblems(problems)).toBe(
      "regions/us-west/hubs/data-101.yaml: hubs[0].cluster: is not a cluster of region us-west",
    );
  });

  it("fails `hubfed validate` with the file and field, and passes the repository's regions", async () => {
    await editYaml(hubFile(), (document) => document.setIn(["hubs", 0, "spec", "storageGib"], 0));
    const failed = await runHubfedCommand(["validate", "--dir", regions]);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain("regions/us-west/hubs/data-101.yaml: hubs[0].spec.storageGib:");
    const passed = await runHubfedCommand([
      "validate",
      "--dir",
      path.join(repositoryRoot, "regions"),
    ]);
    expect(passed.exitCode).toBe(0);
    expect(passed.stdout).toMatch(/^OK: 2 region\(s\) and 0 hub\(s\) valid/);
  }, 60_000);
});
