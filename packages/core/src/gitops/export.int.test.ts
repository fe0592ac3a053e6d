import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@hubfed/db/testing";
import { startFakeGitHub, type FakeGitHubServer } from "@hubfed/github/fake-server";
import { createInMemoryJobQueues, gitOpsExportJob, queueNames } from "@hubfed/jobs";
import { AppError } from "../errors";
import { hubSpecSchema } from "@hubfed/hub-spec";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import {
  exportGitOps,
  gitOpsDestinationFor,
  GitOpsExportFailedError,
  type GitOpsSettings,
} from "./export";
import { listGitOpsExports, requestGitOpsExport } from "./queries";

// The GitOps export end to end against the fake GitHub over HTTP: the first
// export opens a pull request per region; an unchanged fleet makes no GitHub
// call at all; a spec change adds one commit to the same pull request; a
// retired hub's file is removed; a refused token is FAILED with its reason.

const database = useTestDatabase();
const token = "ghp_gitops-test-token";
const queues = createInMemoryJobQueues();
let github: FakeGitHubServer;
let settings: GitOpsSettings;
let exportDirectory: string;

const render = {
  portalUrl: "https://portal.hubfed.example.org",
  ingressControllerNamespace: "ingress-nginx",
};
const usWestBranch = "hubfed/gitops/us-west";

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  // A second us-west hub (a CS 120 section on GKE), next to the demo's DATA 101 in us-west and
  // CS 120's own hub on the Portal VM (the local region).
  const data101 = await db.hub.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
  const cs120 = await db.course.findUniqueOrThrow({ where: { slug: "ccc-cs-120-fa26" } });
  const gke = await db.cluster.findFirstOrThrow({ where: { slug: "gcp-gke-1" } });
  await db.hub.create({
    data: {
      slug: "ccc-cs-120-fa26-gke",
      courseId: cs120.id,
      clusterId: gke.id,
      spec: data101.spec!,
    },
  });
  github = await startFakeGitHub({ token });
  github.createRepository({
    owner: "federation",
    name: "fleet",
    files: {
      "README.md": "# The fleet\n",
      "regions/us-west/hubs/retired-course.yaml": "course: retired\n",
    },
  });
  settings = {
    render,
    destination: {
      kind: "github",
      owner: "federation",
      repo: "fleet",
      baseBranch: "main",
      token,
      apiUrl: github.url,
    },
  };
  exportDirectory = await mkdtemp(path.join(os.tmpdir(), "hubfed-gitops-"));
});

afterAll(async () => {
  await github.stop();
  await rm(exportDirectory, { recursive: true, force: true });
});

describe("GitOps export to GitHub", () => {
  it("opens a pull request per region with every live hub's file", async () => {
    const results = await exportGitOps(database().db, settings);
    expect(results.map((result) => [result.region, result.status, result.fileCount])).toEqual([
      ["local", "PROPOSED", 1],
      ["us-west", "PROPOSED", 2],
    ]);
    const files = github.readFiles("federation", "fleet", usWestBranch);
    expect(Object.keys(files).sort()).toEqual([
      "README.md",
      "regions/us-west/hubs/ccc-cs-120-fa26.yaml",
      "regions/us-west/hubs/wvc-data-101-fa26.yaml",
    ]);
    expect(files["regions/us-west/hubs/wvc-data-101-fa26.yaml"]).toContain(
      "helm.toolkit.fluxcd.io/v2",
    );
    const pulls = github.listPullRequests("federation", "fleet");
    expect(pulls.map((pull) => [pull.head, pull.state])).toEqual([
      ["hubfed/gitops/local", "open"],
      [usWestBranch, "open"],
    ]);
    const row = await database().db.gitOpsExport.findFirstOrThrow({
      where: { region: { slug: "us-west" } },
    });
    expect(row).toMatchObject({
      status: "PROPOSED",
      fileCount: 2,
      branch: usWestBranch,
      pullRequestNumber: 2,
      error: null,
    });
    expect(row.contentDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(row.pullRequestUrl).toMatch(/\/federation\/fleet\/pull\/2$/);
  });

  it("makes no GitHub call at all when nothing changed", async () => {
    github.resetCounters();
    const results = await exportGitOps(database().db, settings);
    expect(results.map((result) => result.status)).toEqual(["UNCHANGED", "UNCHANGED"]);
    expect(github.counters.requests).toBe(0);
    const latest = await database().db.gitOpsExport.findFirstOrThrow({
      where: { region: { slug: "us-west" } },
      orderBy: { createdAt: "desc" },
    });
    expect(latest).toMatchObject({ status: "UNCHANGED", pullRequestNumber: 2 });
  });

  it("adds one commit to the same pull request when a spec changes", async () => {
    const db = database().db;
    const hub = await db.hub.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
    const spec = hubSpecSchema.parse(hub.spec);
    await db.hub.update({
      where: { id: hub.id },
      data: {
        spec: { ...spec, memoryLimitMib: spec.memoryLimitMib * 2 },
        specRevision: { increment: 1 },
      },
    });
    const commitsBefore = github.listCommits("federation", "fleet", usWestBranch).length;
    github.resetCounters();
    const results = await exportGitOps(db, settings);
    expect(results.map((result) => result.status)).toEqual(["UNCHANGED", "PROPOSED"]);
    expect(github.listCommits("federation", "fleet", usWestBranch)).toHaveLength(commitsBefore + 1);
    expect(github.counters.byRoute["POST /repos/{owner}/{repo}/git/blobs"]).toBe(1);
    expect(github.counters.byRoute["POST /repos/{owner}/{repo}/pulls"]).toBeUndefined();
    expect(github.listPullRequests("federation", "fleet")).toHaveLength(2);
    expect(results[1]?.pullRequestUrl).toMatch(/\/pull\/2$/);
    expect(
      github.readFiles("federation", "fleet", usWestBranch)[
        "regions/us-west/hubs/wvc-data-101-fa26.yaml"
      ],
    ).toContain(`memoryLimitMib: ${spec.memoryLimitMib * 2}`);
  });

  it("removes a retired hub's file", async () => {
    const db = database().db;
    await db.hub.update({ where: { slug: "ccc-cs-120-fa26-gke" }, data: { status: "ARCHIVED" } });
    const results = await exportGitOps(db, settings, { regionSlug: "us-west" });
    expect(results).toEqual([expect.objectContaining({ status: "PROPOSED", fileCount: 1 })]);
    const files = github.readFiles("federation", "fleet", usWestBranch);
    expect(files).not.toHaveProperty("regions/us-west/hubs/ccc-cs-120-fa26.yaml");
    expect(files).toHaveProperty("regions/us-west/hubs/wvc-data-101-fa26.yaml");
    expect(github.readFiles("federation", "fleet", "hubfed/gitops/local")).toHaveProperty(
      "regions/local/hubs/ccc-cs-120-fa26.yaml",
    );
  });

  it("records a refused token as FAILED with the reason, and recovers on retry", async () => {
    const db = database().db;
    const hub = await db.hub.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
    await db.hub.update({ where: { id: hub.id }, data: { weight: 50 } });
    const wrong: GitOpsSettings = {
      ...settings,
      destination: {
        ...settings.destination,
        token: "ghp_revoked",
      } as GitOpsSettings["destination"],
    };
    const failure = await exportGitOps(db, wrong, { regionSlug: "us-west" }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(GitOpsExportFailedError);
    const row = await db.gitOpsExport.findFirstOrThrow({
      where: { region: { slug: "us-west" } },
      orderBy: { createdAt: "desc" },
    });
    expect(row.status).toBe("FAILED");
    expect(row.error).toMatch(/GitHub refused the token \(401 Bad credentials\)/);
    expect(row.error).not.toContain("ghp_revoked");
    // The retry with a working token proposes the change the failure left behind.
    const retried = await exportGitOps(db, settings, { regionSlug: "us-west" });
    expect(retried[0]?.status).toBe("PROPOSED");
  });
});

describe("GitOps export without GitHub", () => {
  it("writes the files under the export directory, then reports them unchanged", async () => {
    const db = database().db;
    const local: GitOpsSettings = {
      render,
      destination: { kind: "directory", directory: exportDirectory },
    };
    const stale = path.join(exportDirectory, "regions/us-west/hubs");
    const first = await exportGitOps(db, local);
    expect(first.map((result) => result.status)).toEqual(["RENDERED", "RENDERED"]);
    expect(await readdir(stale)).toEqual(["wvc-data-101-fa26.yaml"]);
    await writeFile(path.join(stale, "gone.yaml"), "course: gone\n");
    const written = await readFile(path.join(stale, "wvc-data-101-fa26.yaml"), "utf8");
    const second = await exportGitOps(db, local, { regionSlug: "local" });
    expect(second.map((result) => result.status)).toEqual(["UNCHANGED"]);
    // The stale file is removed at the region's next export.
    expect((await exportGitOps(db, local, { regionSlug: "us-west" }))[0]?.status).toBe("RENDERED");
    expect(await readdir(stale)).toEqual(["wvc-data-101-fa26.yaml"]);
    expect(await readFile(path.join(stale, "wvc-data-101-fa26.yaml"), "utf8")).toBe(written);
    const latest = await db.gitOpsExport.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    expect(latest.branch).toBeNull();
  });

  it("chooses its destination from the operator's settings and fails a half-configured one", async () => {
    const unset = { baseBranch: "main", directory: exportDirectory };
    expect(gitOpsDestinationFor(unset)).toMatchObject({ kind: "directory" });
    expect(
      gitOpsDestinationFor({
        ...unset,
        repository: "federation/fleet",
        token,
        apiUrl: github.url,
      }),
    ).toMatchObject({ kind: "github", owner: "federation", repo: "fleet", baseBranch: "main" });
    const halfConfigured: GitOpsSettings = {
      render,
      destination: gitOpsDestinationFor({ ...unset, repository: "federation/fleet" }),
    };
    await expect(
      exportGitOps(database().db, halfConfigured, { regionSlug: "local" }),
    ).rejects.toThrow(/HUBFED_GITOPS_TOKEN is not/);
  });
});

describe("asking for an export", () => {
  it("lets ops queue one and list the latest per region; refuses others", async () => {
    const db = database().db;
    const ops = await actorFor(db, "ops@hubfed.example");
    const instructor = await actorFor(db, "prof.rivera@westvalley.edu");
    const { jobId } = await requestGitOpsExport(db, ops, queues, {
      regionSlug: "us-west",
      isForced: true,
    });
    const job = queues.getJob(queueNames.system, jobId);
    expect(job?.name).toBe(gitOpsExportJob.name);
    expect(job?.data).toEqual({ regionSlug: "us-west", isForced: true });
    await expect(
      requestGitOpsExport(db, ops, queues, { regionSlug: "atlantis" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(requestGitOpsExport(db, instructor, queues, {})).rejects.toBeInstanceOf(AppError);
    const listing = await listGitOpsExports(db, ops);
    expect(listing.latestByRegion.map((row) => row.region)).toEqual(["local", "us-west"]);
    expect(listing.recent.length).toBeGreaterThan(2);
    expect(JSON.stringify(listing)).not.toContain(token);
  });
});
