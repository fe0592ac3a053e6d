import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { DatabaseClient, GitOpsExportStatus } from "@hubfed/db";
import { failureMessageOf } from "../errors";
import { deployedHubStatuses } from "../hubs/lifecycle";
import {
  createGitHubClient,
  parseRepositoryName,
  proposeDirectoryAsPullRequest,
  type GitHubClient,
} from "@hubfed/github";
import {
  digestFiles,
  regionHubsDirectory,
  renderRegionFiles,
  type ExportableHub,
  type GitOpsRenderSettings,
  type RenderedFiles,
} from "./render";

/** Where an export goes: a pull request on GitHub, or files in a directory. */
export type GitOpsDestination =
  | {
      kind: "github";
      owner: string;
      repo: string;
      baseBranch: string;
      /** Never logged, never stored, never returned. */
      token: string;
      apiUrl?: string;
    }
  | { kind: "directory"; directory: string }
  /** A half-configured GitHub destination: every export fails with this reason until it is fixed. */
  | { kind: "misconfigured"; reason: string };

export interface GitOpsSettings {
  render: GitOpsRenderSettings;
  destination: GitOpsDestination;
}

/** Where the operator asked exports to go (HUBFED_GITOPS_* in the worker's environment). */
export interface GitOpsDestinationChoice {
  repository?: string;
  token?: string;
  baseBranch: string;
  apiUrl?: string;
  /** Used when neither a repository nor a token is given. */
  directory: string;
}

/**
 * A GitHub pull request when the repository and the token are both given, files in the
 * directory when neither is. Only one of the two is a mistake that every export reports
 * (FAILED) rather than silently writing files.
 */
export function gitOpsDestinationFor(choice: GitOpsDestinationChoice): GitOpsDestination {
  const { repository, token } = choice;
  if (repository === undefined && token === undefined)
    return { kind: "directory", directory: choice.directory };
  const parsed = repository === undefined ? undefined : parseRepositoryName(repository);
  if (!parsed || token === undefined)
    return {
      kind: "misconfigured",
      reason: !parsed
        ? repository === undefined
          ? "HUBFED_GITOPS_TOKEN is set but HUBFED_GITOPS_REPOSITORY is not"
          : "HUBFED_GITOPS_REPOSITORY must be owner/name"
        : "HUBFED_GITOPS_REPOSITORY is set but HUBFED_GITOPS_TOKEN is not",
    };
  return { kind: "github", ...parsed, baseBranch: choice.baseBranch, token, apiUrl: choice.apiUrl };
}

export interface RegionExportResult {
  region: string;
  status: GitOpsExportStatus;
  fileCount: number;
  contentDigest: string;
  pullRequestUrl: string | null;
  error: string | null;
}

/** The branch Hubfed owns per region; it is rewritten freely, so nobody else should push to it. */
export function gitOpsBranchFor(regionSlug: string): string {
  return `hubfed/gitops/${regionSlug}`;
}

/** Exports kept per region; the periodic export adds one (UNCHANGED) each run. */
const keptExportsPerRegion = 100;

async function loadRegionHubs(db: DatabaseClient, regionId: string): Promise<ExportableHub[]> {
  return db.hub.findMany({
    where: { cluster: { regionId }, status: { in: [...deployedHubStatuses] } },
    include: {
      course: { include: { institution: true } },
      cluster: { include: { region: true, cloud: true, nodePools: true } },
      oidcClient: { select: { clientId: true, rotatedAt: true } },
    },
    orderBy: { slug: "asc" },
  });
}

/**
 * Makes `<directory>/regions/<region>/hubs/` hold exactly the files: writes
 * those whose bytes differ, removes the others. Returns whether anything changed.
 */
async function syncDirectory(
  root: string,
  regionSlug: string,
  files: RenderedFiles,
): Promise<boolean> {
  const directory = path.join(root, regionHubsDirectory(regionSlug));
  await mkdir(directory, { recursive: true });
  let isChanged = false;
  const wanted = new Set<string>();
  for (const [relativePath, content] of files) {
    const target = path.join(root, relativePath);
    wanted.add(target);
    const current = await readFile(target, "utf8").catch(() => undefined);
    if (current === content) continue;
    await writeFile(target, content);
    isChanged = true;
  }
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const target = path.join(directory, entry.name);
    if (entry.isFile() && entry.name.endsWith(".yaml") && !wanted.has(target)) {
      await rm(target);
      isChanged = true;
    }
  }
  return isChanged;
}

function describeProposal(regionName: string, files: RenderedFiles, digest: string): string {
  return [
    `The desired state of the hubs of ${regionName}, rendered by Hubfed from each hub's spec.`,
    "",
    files.size === 0
      ? "The region has no live hubs."
      : [...files.keys()].map((file) => `- \`${file}\``).join("\n"),
    "",
    `Content digest: \`${digest}\``,
    "",
    "Hubfed updates this pull request when a hub's spec changes; merging it records the fleet in Git.",
  ].join("\n");
}

export interface ExportGitOpsOptions {
  /** Only this region (default: every region). */
  regionSlug?: string;
  /** Propose even when the digest matches the last proposal (e.g. after the repository changed). */
  isForced?: boolean;
  /** For tests: an already built client (the default is built from the destination). */
  client?: GitHubClient;
}

/**
 * Renders every region's hub files and delivers them: as a pull request when
 * a GitHub repository is configured, as files under the export directory
 * otherwise. Each region records one GitOpsExport. A digest equal to the last
 * one proposed to the same branch is UNCHANGED without a single GitHub call.
 * Failures are recorded as FAILED with their reason and thrown after every
 * region had its turn, so the job retries (regions already done are then
 * UNCHANGED).
 */
export async function exportGitOps(
  db: DatabaseClient,
  settings: GitOpsSettings,
  options: ExportGitOpsOptions = {},
): Promise<RegionExportResult[]> {
  const regions = await db.region.findMany({
    where: options.regionSlug === undefined ? {} : { slug: options.regionSlug },
    orderBy: { slug: "asc" },
  });
  const { destination } = settings;
  const client =
    options.client ??
    (destination.kind === "github"
      ? createGitHubClient({ baseUrl: destination.apiUrl, token: destination.token })
      : undefined);
  const results: RegionExportResult[] = [];
  for (const region of regions) {
    const branch = destination.kind === "github" ? gitOpsBranchFor(region.slug) : null;
    let files: RenderedFiles = new Map();
    let contentDigest = digestFiles(files);
    let outcome: {
      status: GitOpsExportStatus;
      pullRequestNumber?: number | null;
      pullRequestUrl?: string | null;
      error?: string;
    };
    try {
      files = renderRegionFiles(region.slug, await loadRegionHubs(db, region.id), settings.render);
      contentDigest = digestFiles(files);
      if (destination.kind === "misconfigured") throw new Error(destination.reason);
      if (destination.kind === "directory") {
        const isChanged = await syncDirectory(destination.directory, region.slug, files);
        outcome = { status: isChanged ? "RENDERED" : "UNCHANGED" };
      } else {
        const last = await db.gitOpsExport.findFirst({
          where: { regionId: region.id, branch, status: { in: ["PROPOSED", "UNCHANGED"] } },
          orderBy: { createdAt: "desc" },
        });
        if (!options.isForced && last?.contentDigest === contentDigest) {
          outcome = {
            status: "UNCHANGED",
            pullRequestNumber: last.pullRequestNumber,
            pullRequestUrl: last.pullRequestUrl,
          };
        } else {
          if (!client) throw new Error("No GitHub client");
          const proposal = await proposeDirectoryAsPullRequest(client, {
            owner: destination.owner,
            repo: destination.repo,
            baseBranch: destination.baseBranch,
            headBranch: branch ?? gitOpsBranchFor(region.slug),
            directory: regionHubsDirectory(region.slug),
            files: Object.fromEntries(files),
            title: `Hubfed: hubs of ${region.name}`,
            body: describeProposal(region.name, files, contentDigest),
            commitMessage: `Hubs of ${region.slug}: ${files.size} file(s), digest ${contentDigest.slice(0, 12)}`,
          });
          outcome = proposal.pullRequest
            ? {
                status: "PROPOSED",
                pullRequestNumber: proposal.pullRequest.number,
                pullRequestUrl: proposal.pullRequest.url,
              }
            : // The base branch already holds exactly these files: nothing to propose.
              { status: "UNCHANGED" };
        }
      }
    } catch (error) {
      outcome = { status: "FAILED", error: failureMessageOf(error) };
    }
    await db.gitOpsExport.create({
      data: {
        regionId: region.id,
        contentDigest,
        fileCount: files.size,
        status: outcome.status,
        branch,
        pullRequestNumber: outcome.pullRequestNumber ?? null,
        pullRequestUrl: outcome.pullRequestUrl ?? null,
        error: outcome.error ?? null,
      },
    });
    const stale = await db.gitOpsExport.findMany({
      where: { regionId: region.id },
      orderBy: { createdAt: "desc" },
      skip: keptExportsPerRegion,
      select: { id: true },
    });
    if (stale.length > 0)
      await db.gitOpsExport.deleteMany({ where: { id: { in: stale.map((row) => row.id) } } });
    results.push({
      region: region.slug,
      status: outcome.status,
      fileCount: files.size,
      contentDigest,
      pullRequestUrl: outcome.pullRequestUrl ?? null,
      error: outcome.error ?? null,
    });
  }
  const failed = results.filter((result) => result.status === "FAILED");
  if (failed.length > 0)
    throw new GitOpsExportFailedError(
      failed.map((result) => `${result.region}: ${result.error ?? "failed"}`).join("; "),
      results,
    );
  return results;
}

export class GitOpsExportFailedError extends Error {
  constructor(
    message: string,
    readonly results: RegionExportResult[],
  ) {
    super(`GitOps export failed for ${message}`);
    this.name = "GitOpsExportFailedError";
  }
}
